import { type AgentCatalog, openAgentCatalog, type RedactText } from "../agents/index.ts";
import { type Channel, createChannel, WebchatRelay } from "../channels/index.ts";
import { loadPolicy } from "../config/index.ts";
import { latestEvalResult } from "../evaluation/index.ts";
import { createGuard, type Guard } from "../guardrails/index.ts";
import {
  type ControlState,
  controlledCatalog,
  RolloutService,
  recordOnIncident,
} from "../rollouts/index.ts";
import type { Foundation } from "./foundation.ts";
import type { Jobs } from "./jobs.ts";
import type { Started } from "./started-parts.ts";
import type { Storage } from "./storage.ts";
import type { Telemetry } from "./telemetry.ts";

export interface Channels {
  /** The configured channels, by id. */
  channels: Map<string, Channel>;
  /** Web-chat replies reach the sockets of whichever instance holds the session. */
  webchatRelay: WebchatRelay;
}

export function startChannels(
  { config, clock, logger, fetch }: Foundation,
  { store }: Storage,
): Started<Channels> {
  const webchatRelay = new WebchatRelay({ store, clock, logger });
  const channels = new Map<string, Channel>(
    config.channels.map((c) => [
      c.id,
      createChannel(c, {
        logger,
        clock,
        publicUrl: config.server.publicUrl,
        liveReplies: webchatRelay,
        fetch,
      }),
    ]),
  );
  return { provides: { channels, webchatRelay } };
}

export interface Agents {
  /** Every agent version the store holds, and which one is current. */
  agents: AgentCatalog;
  /** The catalog as the kill switch and live rollouts decide who answers. */
  controlled: ReturnType<typeof controlledCatalog>;
}

export async function startAgents(
  foundation: Foundation,
  { store }: Storage,
  control: ControlState,
  telemetry: Telemetry,
): Promise<Started<Agents>> {
  const { loaded, config, agentSource, fetch, clock, random, logger, guardRuntime } = foundation;
  const agents = await openAgentCatalog(agentSource, store, {
    // Documents reach the declared secrets only, never the environment.
    secrets: config.secrets,
    providers: config.providers,
    fetch,
    clock,
    random,
    baseDir: loaded.baseDir,
    logger,
    policyFor: (policy) => {
      const guard = createGuard(loadPolicy(loaded, policy), guardRuntime);
      return { screen: telemetry.guard(guard).screen, redact: redactWith(guard) };
    },
    observer: telemetry.agents,
    lookupContact: async (contactId) => {
      const contact = await store.contacts.getContact(contactId);
      return contact && { ...contact, identities: await store.contacts.identitiesOf(contactId) };
    },
  });
  return { provides: { agents, controlled: controlledCatalog(agents, control, store) } };
}

/** Rollout decisions; a rollback opens an incident and tells the team. */
export function startRollouts(
  { clock, logger }: Foundation,
  { store }: Storage,
  control: ControlState,
  { alertOutbox }: Jobs,
): Started<RolloutService> {
  const rollouts = new RolloutService({
    store,
    clock,
    logger,
    control,
    evalPassed: async (agentId, version) =>
      (await latestEvalResult(store, agentId, version))?.passed === true,
    // Other decisions, kills and unkills go on the open incident's timeline.
    onControlEvent: (tx, event, now) => recordOnIncident(tx, event, now, alertOutbox),
  });
  return {
    provides: rollouts,
    close: async () => {
      rollouts.unwatch();
      await rollouts.idle();
    },
  };
}

/** A guard's redact rules on their own, unmetered: for what turn traces keep. */
export function redactWith(guard: Guard): RedactText {
  return (text, channel) =>
    text === "" ? text : guard.check({ direction: "inbound", channel, text }).redacted;
}
