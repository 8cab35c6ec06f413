import { type RolloutFacts, rolloutFacts, rolloutSpecSchema } from "../../src/rollouts/index.ts";
import type { Random } from "../../src/shared/index.ts";
import type { AgentTurnRecord, Repositories, RolloutRecord, Store } from "../../src/store/index.ts";

const SHARES = [0.05, 0.25, 0.5];
const FINDINGS = ["pii_card", "secret_key", "toxicity"];
const ACTIONS = ["allow", "tag", "redact", "block", "escalate", "fallback"];
const VIOLATION_ACTIONS = new Set(["block", "redact", "escalate", "fallback"]);

export const spec = rolloutSpecSchema.parse({
  agent: "support",
  baseline: "v_base",
  candidate: "v_cand",
  steps: [{ canary: 0.05 }, { canary: 0.25 }, { canary: 0.5 }],
  gates: [
    { metric: "violation", margin: 0.05 },
    { metric: "violation:pii_card", max: 0.3 },
    { metric: "handoff" },
    { metric: "error", margin: 0.1 },
    { metric: "negative_feedback" },
    { metric: "event:refund" },
    { metric: "latency_p95_ms", max: 5000, minTurns: 5 },
    { metric: "cost_per_conversation", max: 0.01, minTurns: 5 },
  ],
});

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random.next() * items.length)]!;

/** Plain data for deepEqual (Maps sorted by key). */
export const plain = (facts: RolloutFacts) => ({
  ...facts,
  bad: [...facts.bad].sort(([a], [b]) => a.localeCompare(b)),
  candidateLatency: [...facts.candidateLatency].sort(([a], [b]) => a - b),
});

/**
 * A random history of one rollout written through the repositories, as the pipeline
 * writes it: conversations assigned to arms at several shares (and shadow rows), turns of
 * the rollout and of none, feedback and business events before and after the first turn,
 * and step changes.
 */
export async function randomHistory(
  store: Store,
  random: Random,
  rolloutId: string,
  start: number,
) {
  let now = start;
  const record: RolloutRecord = {
    id: rolloutId,
    agentId: "support",
    baseline: "v_base",
    candidate: "v_cand",
    spec: JSON.stringify(spec),
    state: "running",
    step: 0,
    stepStartedAt: now,
    createdBy: "test",
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
  await store.rollouts.insert(record);
  const units: { conversationId: string; version: string; shadow: boolean }[] = [];
  for (let op = 0; op < 160; op++) {
    now += 1 + Math.floor(random.next() * 5000);
    const roll = random.next();
    if (roll < 0.25 || units.length === 0) {
      const conversationId = `conv_${rolloutId}_${op}`;
      const candidate = random.next() < 0.4;
      const share = pick(random, SHARES);
      await store.outcomes.start(
        {
          conversationId,
          agentId: "support",
          agentVersion: candidate ? "v_cand" : "v_base",
          shadow: false,
          rolloutId,
          arm: candidate ? "candidate" : "baseline",
          share: random.next() < 0.1 ? null : share,
          channelType: "generic",
        },
        now,
      );
      units.push({ conversationId, version: candidate ? "v_cand" : "v_base", shadow: false });
      if (!candidate && random.next() < 0.2) {
        await store.outcomes.start(
          {
            conversationId,
            agentId: "support",
            agentVersion: "v_cand",
            shadow: true,
            rolloutId,
            arm: "candidate",
            share: 0.5,
            channelType: "generic",
          },
          now,
        );
        units.push({ conversationId, version: "v_cand", shadow: true });
      }
    } else if (roll < 0.7) {
      const unit = pick(random, units);
      const action = pick(random, ACTIONS);
      const findings =
        random.next() < 0.5
          ? []
          : [...new Set([pick(random, FINDINGS), pick(random, FINDINGS)])].sort();
      const turn: AgentTurnRecord = {
        id: `turn_${rolloutId}_${op}`,
        conversationId: unit.conversationId,
        messageId: "m",
        replyId: unit.shadow ? null : "r",
        agentId: "support",
        agentVersion: unit.version,
        shadow: unit.shadow,
        // Now and then a turn outside the rollout still answers the conversation.
        rolloutId: random.next() < 0.1 ? null : rolloutId,
        channelType: "generic",
        latencyMs: random.next() < 0.5 ? random.next() * 200 : random.next() * 40_000,
        provider: null,
        model: null,
        inputTokens: null,
        outputTokens: null,
        cost: random.next() < 0.2 ? null : random.next() * 0.003,
        error: random.next() < 0.1 ? "provider timeout" : null,
        fallback: random.next() < 0.05,
        action,
        findings,
        handoff: random.next() < 0.1 ? "customer_asked" : null,
        shadowText: unit.shadow ? "unsent" : null,
        createdAt: now,
      };
      const violations = VIOLATION_ACTIONS.has(action) ? findings : [];
      await store.transaction((tx) => tx.outcomes.recordTurn(turn, violations));
    } else if (roll < 0.93) {
      const unit = pick(random, units);
      const kind = random.next();
      await store.outcomes.addEvent({
        id: `oev_${rolloutId}_${op}`,
        conversationId: random.next() < 0.05 ? null : unit.conversationId,
        agentId: "support",
        agentVersion: unit.version,
        type: kind < 0.4 ? "csat" : kind < 0.8 ? "thumbs" : "refund",
        value:
          kind < 0.4 ? 1 + Math.floor(random.next() * 5) : kind < 0.8 ? pick(random, [0, 1]) : null,
        data: {},
        source: "test",
        createdAt: now,
      });
    } else if (record.step < spec.steps.length - 1) {
      const from = { state: record.state, step: record.step };
      await store.rollouts.transition(
        rolloutId,
        from,
        { state: "running", step: from.step + 1 },
        now,
      );
      record.step++;
      record.stepStartedAt = now;
    }
  }
  return { record, now };
}

export async function recomputed(
  store: Pick<Repositories, "outcomes">,
  record: RolloutRecord,
): Promise<RolloutFacts> {
  const [outcomes, turns, events] = await Promise.all([
    store.outcomes.forRollout(record.id),
    store.outcomes.turnsForRollout(record.id),
    store.outcomes.eventsForRollout(record.id),
  ]);
  return rolloutFacts(outcomes, turns, events, record.stepStartedAt);
}
