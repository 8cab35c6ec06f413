import type { Logger } from "pino";
import { activateAgentVersion, getAgentVersion } from "../agents/index.ts";
import { appendAudit } from "../audit/index.ts";
import type { Clock } from "../shared/clock.ts";
import { MainstayError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type {
  Repositories,
  RolloutMark,
  RolloutRecord,
  RolloutState,
  Store,
} from "../store/index.ts";
import { currentShare } from "./assign.ts";
import { type ControlState, notifyControl } from "./control-state.ts";
import { type Decision, decide } from "./decide.ts";
import { type EvidencePoint, evidencePaths } from "./evidence-path.ts";
import { type KillRequest, killAgent, unkillAgent } from "./kill-switch.ts";
import { type RolloutSpec, rolloutSpecSchema } from "./rollout-spec.ts";
import { conversationsFromMarks } from "./signals.ts";

/** Marks read per page for the charts. */
const MARKS_PAGE = 2000;

/** Mainstay's own name in decisions and the audit log. */
export const SYSTEM_ACTOR = "mainstay";

export interface RolloutServiceOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  control: ControlState;
  /**
   * Called inside the transaction of every rollout decision and kill switch change, so
   * what it records (an incident, its timeline, a notification) commits with it.
   */
  onControlEvent?: (tx: Repositories, event: ControlEvent, now: number) => Promise<void>;
  /** Whether the candidate passed its evaluation (for specs with `requireEval`). */
  evalPassed?: (agentId: string, version: string) => Promise<boolean>;
}

/** A change of the control plane, as incidents and notifications see it. */
export type ControlEvent =
  | {
      kind: "rollout";
      /** start, promote, complete, pause, resume, rollback, abort */
      action: string;
      rollout: RolloutRecord;
      reason: string;
      actor: string;
      evidence: Record<string, unknown>;
    }
  | { kind: "kill" | "unkill"; agentId: string; reason: string; actor: string };

export interface RolloutStatus {
  rollout: RolloutRecord;
  spec: RolloutSpec;
  /** The candidate's share of new conversations now (0 in shadow and once ended). */
  share: number;
  /** What the evidence says now (live rollouts only). */
  current?: Decision;
  /** How each rate gate's evidence grew over the rollout's conversations (for charts). */
  paths: Record<string, EvidencePoint[]>;
  decisions: Awaited<ReturnType<Repositories["rollouts"]["decisions"]>>;
}

/**
 * Starts, steps, pauses and ends rollouts. Every change is one transaction holding the
 * state move (guarded, so two instances never both take it), the decision with its
 * evidence, the audit entry and a NOTIFY that makes every instance reload at once.
 */
export class RolloutService {
  private readonly checking = new Map<string, Promise<Decision | undefined>>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RolloutServiceOptions) {}

  async start(input: RolloutSpec, actor: string): Promise<RolloutRecord> {
    const { store, clock } = this.options;
    const active = await store.agentVersions.active(input.agent);
    const baseline = input.baseline ?? active?.version;
    if (!baseline) {
      throw new MainstayError(
        "MS_NOT_FOUND",
        `agent ${input.agent} has no active version to compare with: give a baseline`,
        404,
      );
    }
    await getAgentVersion(store, input.agent, baseline);
    await getAgentVersion(store, input.agent, input.candidate);
    if (baseline === input.candidate) {
      throw new MainstayError("MS_ROLLOUT_INVALID", "candidate: same as the baseline", 400);
    }
    if (input.requireEval && !(await this.options.evalPassed?.(input.agent, input.candidate))) {
      throw new MainstayError(
        "MS_EVAL_REQUIRED",
        `${input.agent}@${input.candidate} has no passing evaluation; run \`mainstay eval\` first`,
        409,
      );
    }
    const spec: RolloutSpec = { ...input, baseline };
    const now = clock.now();
    const record: RolloutRecord = {
      id: newId("ro", now),
      agentId: input.agent,
      baseline,
      candidate: input.candidate,
      spec: JSON.stringify(spec),
      state: "running",
      step: 0,
      stepStartedAt: now,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      endedAt: null,
    };
    await store.transaction(async (tx) => {
      const live = await tx.rollouts.liveFor(input.agent);
      if (live) {
        throw new MainstayError(
          "MS_ROLLOUT_CONFLICT",
          `agent ${input.agent} already has rollout ${live.id} ${live.state}; end it first`,
          409,
        );
      }
      await tx.rollouts.insert(record);
      await this.recordDecision(tx, record, "start", "started", { spec }, actor, now);
      await notifyControl(tx.db);
    });
    await this.options.control.refresh();
    return record;
  }

  async get(id: string): Promise<RolloutRecord> {
    const rollout = await this.options.store.rollouts.get(id);
    if (!rollout) throw new MainstayError("MS_NOT_FOUND", `rollout ${id} not found`, 404);
    return rollout;
  }

  async status(id: string): Promise<RolloutStatus> {
    const rollout = await this.get(id);
    const spec = specOf(rollout);
    const live = rollout.state === "running" || rollout.state === "paused";
    const current = live ? await this.assess(rollout, spec) : undefined;
    return {
      rollout,
      spec,
      share: live ? currentShare({ record: rollout, spec }) : 0,
      current,
      paths: evidencePaths(spec, { conversations: await this.conversations(rollout, spec) }),
      decisions: await this.options.store.rollouts.decisions(id),
    };
  }

  /** Re-check a live rollout soon (after a turn); checks for one rollout never overlap. */
  schedule(rolloutId: string): void {
    if (this.checking.has(rolloutId)) {
      this.pending.add(rolloutId);
      return;
    }
    const run = this.evaluate(rolloutId)
      .catch((err) => {
        this.options.logger.error({ err, rolloutId }, "rollout check failed");
        return undefined;
      })
      .finally(() => {
        this.checking.delete(rolloutId);
        if (this.pending.delete(rolloutId)) this.schedule(rolloutId);
      });
    this.checking.set(rolloutId, run);
  }

  /**
   * Re-check every live rollout on a timer too: steps with a minimum duration, and
   * evidence that arrives without a turn (feedback, business events).
   */
  watch(intervalMs: number): void {
    this.unwatch();
    this.timer = setInterval(() => {
      for (const record of this.options.control.liveRollouts()) this.schedule(record.id);
    }, intervalMs);
    this.timer.unref();
  }

  unwatch(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when every scheduled check has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.checking.size > 0) await Promise.all(this.checking.values());
  }

  /**
   * Judge a live rollout on its evidence and act: roll back on harm (or pause, when the spec
   * says so), promote a step when its requirements are met, else hold.
   */
  async evaluate(id: string): Promise<Decision | undefined> {
    const rollout = await this.get(id);
    if (rollout.state !== "running" && rollout.state !== "paused") return undefined;
    const spec = specOf(rollout);
    const decision = await this.assess(rollout, spec);
    if (decision.action === "rollback") {
      if (spec.onFailure === "pause" && rollout.state === "running") {
        await this.move(rollout, "paused", rollout.step, "pause", decision, SYSTEM_ACTOR);
      } else if (spec.onFailure === "rollback") {
        await this.rollback(rollout, decision, SYSTEM_ACTOR);
      }
    } else if (decision.action === "promote" && rollout.state === "running" && spec.autoPromote) {
      await this.advance(rollout, spec, decision, SYSTEM_ACTOR);
    }
    return decision;
  }

  pause(id: string, actor: string) {
    return this.manual(id, actor, ["running"], async (r, d) =>
      this.move(r, "paused", r.step, "pause", d, actor),
    );
  }

  resume(id: string, actor: string) {
    return this.manual(id, actor, ["paused"], async (r, d) =>
      this.move(r, "running", r.step, "resume", d, actor),
    );
  }

  /** A person moves the rollout to its next step (or completes it) whatever the evidence. */
  promote(id: string, actor: string) {
    return this.manual(id, actor, ["running", "paused"], async (r, d) =>
      this.advance(r, specOf(r), d, actor),
    );
  }

  /** A person ends the rollout: everything goes back to the baseline, no incident. */
  abort(id: string, actor: string) {
    return this.manual(id, actor, ["running", "paused"], async (r, d) =>
      this.returnToBaseline(r, "aborted", "abort", d, actor),
    );
  }

  private async manual(
    id: string,
    actor: string,
    from: RolloutState[],
    act: (rollout: RolloutRecord, decision: Decision) => Promise<boolean>,
  ): Promise<RolloutRecord> {
    const rollout = await this.get(id);
    if (!from.includes(rollout.state)) {
      throw new MainstayError(
        "MS_ROLLOUT_STATE",
        `rollout ${id} is ${rollout.state}; this needs it ${from.join(" or ")}`,
        409,
      );
    }
    const decision = await this.assess(rollout, specOf(rollout));
    if (!(await act(rollout, { ...decision, reason: `by ${actor}` }))) {
      throw new MainstayError("MS_ROLLOUT_STATE", `rollout ${id} changed meanwhile; retry`, 409);
    }
    return this.get(id);
  }

  private async assess(rollout: RolloutRecord, spec: RolloutSpec): Promise<Decision> {
    return decide(rollout, spec, await this.facts(rollout), this.options.clock.now());
  }

  /** The counts the store keeps with every turn: one short read, whatever the history. */
  private facts(rollout: RolloutRecord) {
    return this.options.store.rolloutEvidence.read(rollout.id, rollout.stepStartedAt);
  }

  /**
   * The rollout's conversations with their gated signals, for the charts: read a page at a
   * time, so a long rollout never holds SQLite's connection for long.
   */
  private async conversations(rollout: RolloutRecord, spec: RolloutSpec) {
    const wanted = new Set(["", ...spec.gates.map((g) => g.metric)]);
    const marks: RolloutMark[] = [];
    for (let after: RolloutMark | undefined; ; ) {
      const page = await this.options.store.rolloutEvidence.marks(rollout.id, after, MARKS_PAGE);
      marks.push(...page.filter((m) => wanted.has(m.metric)));
      after = page.at(-1);
      if (page.length < MARKS_PAGE) return conversationsFromMarks(marks);
    }
  }

  private async advance(
    rollout: RolloutRecord,
    spec: RolloutSpec,
    decision: Decision,
    actor: string,
  ): Promise<boolean> {
    if (rollout.step < spec.steps.length - 1) {
      return this.move(rollout, rollout.state, rollout.step + 1, "promote", decision, actor);
    }
    // Past the last step: the candidate becomes the version every new conversation gets.
    return this.move(
      rollout,
      "completed",
      rollout.step,
      "complete",
      decision,
      actor,
      async (tx, now) => {
        await activateAgentVersion(tx, rollout.agentId, rollout.candidate, now);
        return {};
      },
    );
  }

  /**
   * Move the rollout in one transaction, only if it is still where `rollout` saw it: the
   * move, what `alongside` does (its result joins the evidence), the decision with its
   * evidence and audit entry, and the NOTIFY that makes every instance reload.
   */
  private async move(
    rollout: RolloutRecord,
    state: RolloutState,
    step: number,
    action: string,
    decision: Decision,
    actor: string,
    alongside?: (tx: Repositories, now: number) => Promise<Record<string, unknown>>,
  ): Promise<boolean> {
    const { store, clock } = this.options;
    const now = clock.now();
    const moved = await store.transaction(async (tx) => {
      const from = { state: rollout.state, step: rollout.step };
      if (!(await tx.rollouts.transition(rollout.id, from, { state, step }, now))) return false;
      const extra = await alongside?.(tx, now);
      const evidence = { ...decision.evidence, ...extra };
      await this.recordDecision(tx, rollout, action, decision.reason, evidence, actor, now);
      await notifyControl(tx.db);
      return true;
    });
    await this.options.control.refresh();
    if (moved) this.options.logger.info({ rolloutId: rollout.id, action, step }, decision.reason);
    return moved;
  }

  private async rollback(rollout: RolloutRecord, decision: Decision, actor: string) {
    const moved = await this.returnToBaseline(rollout, "rolled_back", "rollback", decision, actor);
    if (moved)
      this.options.logger.warn({ rolloutId: rollout.id }, `rolled back: ${decision.reason}`);
    return moved;
  }

  /** The kill switch (see kill-switch.ts), with this service's control-event hook. */
  kill(request: KillRequest) {
    const { store, control, clock } = this.options;
    return killAgent(store, control, request, clock.now(), this.options.onControlEvent);
  }

  unkill(request: { agentId: string; actor: string; reason?: string }) {
    const { store, control, clock } = this.options;
    return unkillAgent(store, control, request, clock.now(), this.options.onControlEvent);
  }

  /**
   * End the rollout and send every open candidate conversation to the baseline: new
   * conversations get the active version (the baseline, never changed during a rollout),
   * and live ones are answered by the baseline from their next turn.
   */
  private returnToBaseline(
    rollout: RolloutRecord,
    state: "rolled_back" | "aborted",
    action: string,
    decision: Decision,
    actor: string,
  ): Promise<boolean> {
    return this.move(rollout, state, rollout.step, action, decision, actor, async (tx, now) => {
      const moved = await tx.rollouts.returnToBaseline(rollout, now);
      for (const conversationId of moved) {
        await tx.events.append(
          conversationId,
          "conversation.version_changed",
          { from: rollout.candidate, to: rollout.baseline, rolloutId: rollout.id, reason: action },
          now,
        );
      }
      return { movedConversations: moved.length };
    });
  }

  private async recordDecision(
    tx: Repositories,
    rollout: RolloutRecord,
    action: string,
    reason: string,
    evidence: Record<string, unknown>,
    actor: string,
    now: number,
  ): Promise<void> {
    await tx.rollouts.addDecision({
      rolloutId: rollout.id,
      step: rollout.step,
      action,
      reason,
      evidence,
      actor,
      createdAt: now,
    });
    await appendAudit(
      tx,
      {
        actor,
        action: `rollout.${action}`,
        target: rollout.id,
        data: { agent: rollout.agentId, candidate: rollout.candidate, step: rollout.step, reason },
      },
      now,
    );
    await this.options.onControlEvent?.(
      tx,
      { kind: "rollout", action, rollout, reason, actor, evidence },
      now,
    );
  }
}

export function specOf(rollout: RolloutRecord): RolloutSpec {
  return rolloutSpecSchema.parse(JSON.parse(rollout.spec));
}
