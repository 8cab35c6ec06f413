import type { ChannelRef, StatusUpdate, TakenMessage } from "../conversations/index.ts";

/** What one webhook call or chat frame brought in, once stored. */
export interface IntakeResult {
  accepted: TakenMessage[];
  statuses: StatusUpdate[];
}

/**
 * Runs one intake (verify, parse, store) for `channel`: the webhook and web chat routes
 * hand their work to it, so metrics and traces wrap every way a message comes in.
 */
export type Intake = (
  channel: ChannelRef,
  run: () => Promise<IntakeResult>,
) => Promise<IntakeResult>;

/** Runs the intake as it is: what the routes use when nothing observes them. */
export const unobservedIntake: Intake = (_channel, run) => run();
