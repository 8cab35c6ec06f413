import { labelOutcome, type OutcomeLabelSettings } from "../conversations/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Random } from "../shared/random.ts";
import type {
  QualityCandidate,
  QualityDecision,
  Repositories,
  SampleReason,
  Store,
} from "../store/index.ts";

/** Outcome rows per sampling transaction: two short reads each, a few milliseconds in all. */
export const SAMPLE_CHUNK = 50;

/**
 * Outcome rows younger than this wait for the next pass: a row another instance committed
 * a moment late still lands after the sampler's position.
 */
const SETTLE_MS = 60_000;

export interface SamplerDeps {
  store: Store;
  clock: Clock;
  random: Random;
  /** Share of the conversations that are neither escalated nor hit a guardrail. */
  share: number;
  outcomes: OutcomeLabelSettings;
}

/**
 * Every escalation (the bot or a person handed it off) and every guardrail hit is judged;
 * of the rest, `share` at random.
 */
export function sampleReason(
  candidate: Pick<QualityCandidate, "handoffReason" | "violations">,
  handedOff: boolean,
  share: number,
  random: Random,
): SampleReason | null {
  if (handedOff || candidate.handoffReason !== null) return "escalation";
  if (candidate.violations > 0) return "guardrail";
  return random.next() < share ? "random" : null;
}

/**
 * Decides one candidate. Finished is what the outcome labels say (anything but `open`:
 * resolved, escalated, abandoned, after `outcomes.idleHours` of quiet or a close); an
 * open one waits. One that never got an answer says nothing about the version.
 */
async function decideOne(
  tx: Repositories,
  deps: SamplerDeps,
  candidate: QualityCandidate,
  wasWaiting: boolean,
  now: number,
): Promise<QualityDecision> {
  const none = { candidate, reason: null, label: null };
  if (candidate.turns === 0) return { ...none, status: "skipped" };
  const facts = await tx.outcomes.factsOf(candidate.conversationId);
  if (!facts) return { ...none, status: "skipped" };
  const { label } = labelOutcome(facts, deps.outcomes, now);
  // Due but still open: nothing from the customer to judge.
  if (label === "open") return { ...none, status: wasWaiting ? "skipped" : "waiting" };
  const reason = sampleReason(candidate, facts.handedOffAt !== null, deps.share, deps.random);
  return { candidate, reason, label, status: reason ? "pending" : "skipped" };
}

/**
 * One chunk in one transaction: waiting conversations that may have finished, then the
 * outcome rows after the sampler's position, which moves past them. Returns how many were
 * sampled and whether more may follow.
 */
export async function sampleFinished(
  deps: SamplerDeps,
): Promise<{ sampled: number; more: boolean }> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const due = await tx.qualityScores.waitingDue(now - deps.outcomes.idleMs, SAMPLE_CHUNK);
    const position = await tx.qualityScores.position();
    const fresh = await tx.qualityScores.candidatesAfter(position, now - SETTLE_MS, SAMPLE_CHUNK);
    const decisions: QualityDecision[] = [];
    for (const c of due) decisions.push(await decideOne(tx, deps, c, true, now));
    for (const c of fresh) decisions.push(await decideOne(tx, deps, c, false, now));
    await tx.qualityScores.decide(decisions, now);
    const last = fresh.at(-1);
    if (last) {
      await tx.qualityScores.setPosition({
        createdAt: last.createdAt,
        conversationId: last.conversationId,
      });
    }
    return {
      sampled: decisions.filter((d) => d.status === "pending").length,
      more: due.length === SAMPLE_CHUNK || fresh.length === SAMPLE_CHUNK,
    };
  });
}
