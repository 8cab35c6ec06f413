import type { Logger } from "pino";
import type { KnowledgeBase } from "../agents/builtin/index.ts";
import type { Clock } from "../shared/clock.ts";
import { describeError } from "../shared/errors.ts";
import type { Message, PendingSample, Store } from "../store/index.ts";
import type { QualityConfig } from "./quality-config.ts";
import type { JudgeInput, RubricJudge } from "./rubric-judge.ts";

/** Sampled conversations one pass reads; it stops sooner at its deadline. */
export const JUDGE_PER_PASS = 10;
/** Failed judge calls on one conversation before it is given up (`failed`). */
const MAX_ATTEMPTS = 3;
/** The conversation's last messages the judge reads, each cut at this many characters. */
const TRANSCRIPT_MESSAGES = 60;
const MESSAGE_CHARS = 1000;
const KNOWLEDGE_ENTRIES = 6;
const DAY_MS = 24 * 3_600_000;

export const utcDay = (now: number) => now - (now % DAY_MS);

/** The knowledge base of an agent version, when it has one. */
export type KnowledgeFor = (agentId: string, version: string) => Promise<KnowledgeBase | undefined>;

export interface JudgeDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  judge: RubricJudge;
  knowledgeFor: KnowledgeFor;
  config: Pick<QualityConfig, "badBelow" | "dailyCap">;
}

export interface JudgeResult {
  judged: number;
  /** The day's allowance is used up: judging resumes the next UTC day. */
  capped: boolean;
  /** A judge call failed: the pass stops, the next one tries again. */
  failed: boolean;
  more: boolean;
}

const SPEAKER: Record<Message["author"], string> = {
  customer: "Customer",
  agent: "Assistant",
  human: "Support person",
  system: "System",
};

/** The conversation as the judge reads it, with the knowledge entries its questions match. */
async function judgeInput(deps: JudgeDeps, sample: PendingSample): Promise<JudgeInput> {
  const messages = await deps.store.messages.recent(sample.conversationId, TRANSCRIPT_MESSAGES);
  const transcript = messages
    .filter((m) => m.status !== "failed")
    .map((m) => `${SPEAKER[m.author]}: ${m.text.slice(0, MESSAGE_CHARS)}`)
    .join("\n");
  const knowledge = await deps.knowledgeFor(sample.agentId, sample.agentVersion);
  const entries = new Map<string, string>();
  for (const m of messages.filter((m) => m.author === "customer")) {
    for (const match of knowledge?.search(m.text, 2) ?? []) {
      const { entry } = match;
      entries.set(entry.id, `Q: ${entry.question}\nA: ${entry.answer}`);
    }
  }
  return { transcript, knowledge: [...entries.values()].slice(0, KNOWLEDGE_ENTRIES) };
}

/**
 * Judges sampled conversations one at a time until none is left, the day's cap is reached,
 * a call fails or `deadline` passes. Each call first takes one from the day's allowance (in
 * the store, so the cap holds across instances and restarts); the model call runs outside
 * any transaction, and its score is stored in one short transaction with its evidence.
 */
export async function judgePending(deps: JudgeDeps, deadline: number): Promise<JudgeResult> {
  const { store, clock, config } = deps;
  const pending = await store.qualityScores.pending(JUDGE_PER_PASS);
  let judged = 0;
  for (const sample of pending) {
    if (clock.now() >= deadline) return { judged, capped: false, failed: false, more: true };
    const day = utcDay(clock.now());
    if (!(await store.qualityScores.reserveCall(day, config.dailyCap))) {
      return { judged, capped: true, failed: false, more: false };
    }
    let score: Awaited<ReturnType<RubricJudge["score"]>>;
    try {
      score = await deps.judge.score(await judgeInput(deps, sample));
    } catch (e) {
      deps.logger.warn(
        { err: e, conversationId: sample.conversationId, agentVersion: sample.agentVersion },
        "quality judge call failed; the next pass tries again",
      );
      await store.qualityScores.recordFailure(sample, describeError(e), MAX_ATTEMPTS);
      return { judged, capped: false, failed: true, more: false };
    }
    await store.transaction((tx) =>
      tx.qualityScores.recordScore(
        {
          conversationId: sample.conversationId,
          agentVersion: sample.agentVersion,
          ...score,
          judge: deps.judge.name,
          bad: score.overall < config.badBelow,
          judgedAt: clock.now(),
        },
        day,
      ),
    );
    judged++;
  }
  return { judged, capped: false, failed: false, more: pending.length === JUDGE_PER_PASS };
}
