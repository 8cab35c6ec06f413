import type { AgentTurn } from "../../agents/index.ts";
import type { ContactDirectory, EvalTarget, TurnSettings } from "../eval-target.ts";
import { formatTranscript, type Judge } from "../judge.ts";
import { runTurn, type TurnRecord } from "../run-conversation.ts";
import { runPool } from "../run-pool.ts";
import { lexicalSimilarity } from "../similarity.ts";
import { type Distribution, distribution } from "../statistics.ts";
import type { RecordedConversation, RecordedTurn } from "./recorded-conversation.ts";

export interface ReplayOptions {
  candidate: EvalTarget;
  settings: TurnSettings;
  contacts: ContactDirectory;
  judge?: Judge;
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ReplayedTurn {
  baseline: RecordedTurn;
  candidate: TurnRecord;
  /** Lexical similarity of the two replies, 0..1. */
  similarity: number;
}

export interface ReplayedConversation {
  id: string;
  channel: string;
  baselineVersion: string | null;
  turns: ReplayedTurn[];
  similarity: number;
  findings: { baseline: number; candidate: number };
  handoff: { baseline: string | null; candidate: string | null };
  /** Mean reply length in characters. */
  length: { baseline: number; candidate: number };
  latencyMs: { baseline: number | null; candidate: number };
  cost: { baseline: number | null; candidate: number | null };
  /** The judge's view: is the candidate at least as good as the baseline? */
  judge?: { notWorse: boolean; reason: string } | { error: string };
  /** How much the conversation changed; the report lists the largest first. */
  change: number;
}

export interface ReplayResult {
  conversations: ReplayedConversation[];
  summary: {
    conversations: number;
    turns: number;
    similarity: number;
    handoffs: { baseline: number; candidate: number };
    findings: { baseline: number; candidate: number };
    latencyMs: { baseline: Distribution; candidate: Distribution };
    cost: { baseline: number; candidate: number };
    /** Conversations the judge found worse on the candidate (null: no judge). */
    judgedWorse: number | null;
  };
}

const NOT_WORSE = `The candidate's replies are at least as helpful, correct and safe as the baseline's.`;

/**
 * Replay each recorded customer message against the candidate with the conversation as it
 * really went before it (the baseline's own replies as history), so every candidate reply
 * answers exactly what the baseline answered, and compare the two.
 */
export async function runReplay(
  recorded: RecordedConversation[],
  options: ReplayOptions,
): Promise<ReplayResult> {
  const replayed = await runPool(
    recorded,
    options.concurrency,
    (c) => replayConversation(c, options),
    (done) => options.onProgress?.(done, recorded.length),
  );
  const conversations = replayed.sort((a, b) => b.change - a.change || (a.id < b.id ? -1 : 1));
  const turns = conversations.flatMap((c) => c.turns);
  const sum = (values: (number | null)[]) => values.reduce<number>((s, v) => s + (v ?? 0), 0);
  return {
    conversations,
    summary: {
      conversations: conversations.length,
      turns: turns.length,
      similarity: mean(turns.map((t) => t.similarity)) ?? 1,
      handoffs: {
        baseline: conversations.filter((c) => c.handoff.baseline).length,
        candidate: conversations.filter((c) => c.handoff.candidate).length,
      },
      findings: {
        baseline: sum(conversations.map((c) => c.findings.baseline)),
        candidate: sum(conversations.map((c) => c.findings.candidate)),
      },
      latencyMs: {
        baseline: distribution(turns.flatMap((t) => t.baseline.latencyMs ?? [])),
        candidate: distribution(turns.filter(asked).map((t) => t.candidate.latencyMs)),
      },
      cost: {
        baseline: sum(turns.map((t) => t.baseline.cost)),
        candidate: sum(turns.map((t) => t.candidate.cost)),
      },
      judgedWorse: options.judge
        ? conversations.filter((c) => c.judge && "notWorse" in c.judge && !c.judge.notWorse).length
        : null,
    },
  };
}

const asked = (t: ReplayedTurn) =>
  t.candidate.draft !== undefined || t.candidate.error !== undefined;

async function replayConversation(
  recorded: RecordedConversation,
  options: ReplayOptions,
): Promise<ReplayedConversation> {
  const place = {
    channel: recorded.channel,
    contactId: options.contacts.add({
      displayName: null,
      identities: [{ channelType: recorded.channel }],
    }),
  };
  const history: AgentTurn[] = [];
  const said: string[] = [];
  const turns: ReplayedTurn[] = [];
  for (const baseline of recorded.turns) {
    const candidate = await runTurn(
      options.candidate,
      place,
      { customer: baseline.customer, history: history.slice(), said },
      options.settings,
    );
    turns.push({
      baseline,
      candidate,
      similarity: lexicalSimilarity(baseline.reply, candidate.reply),
    });
    history.push(
      { role: "customer", text: baseline.customer },
      { role: baseline.author, text: baseline.reply },
    );
  }
  const compared = compare(recorded, turns);
  const judge = options.judge && (await judgeConversation(options.judge, turns));
  const worse = judge && "notWorse" in judge && !judge.notWorse ? 0.5 : 0;
  return { ...compared, ...(judge ? { judge } : {}), change: compared.change + worse };
}

function compare(recorded: RecordedConversation, turns: ReplayedTurn[]) {
  const candidateFindings = turns.flatMap((t) =>
    t.candidate.findings.filter((f) => f.direction === "outbound"),
  ).length;
  const baselineFindings = turns.reduce((s, t) => s + t.baseline.findings.length, 0);
  const handoff = {
    baseline: turns.find((t) => t.baseline.handoff)?.baseline.handoff ?? null,
    candidate: turns.find((t) => t.candidate.handoff)?.candidate.handoff ?? null,
  };
  const similarity = mean(turns.map((t) => t.similarity)) ?? 1;
  const costs = (pick: (t: ReplayedTurn) => number | null) =>
    turns.some((t) => pick(t) === null) ? null : turns.reduce((s, t) => s + (pick(t) ?? 0), 0);
  // Dissimilar words weigh most; a handoff gained or lost, and findings, add to it.
  const change =
    1 -
    similarity +
    (Boolean(handoff.baseline) !== Boolean(handoff.candidate) ? 0.5 : 0) +
    Math.min(1, 0.25 * Math.abs(candidateFindings - baselineFindings));
  return {
    id: recorded.id,
    channel: recorded.channel,
    baselineVersion: recorded.agent.version,
    turns,
    similarity,
    findings: { baseline: baselineFindings, candidate: candidateFindings },
    handoff,
    length: {
      baseline: mean(turns.map((t) => t.baseline.reply.length)) ?? 0,
      candidate: mean(turns.map((t) => t.candidate.reply.length)) ?? 0,
    },
    latencyMs: {
      baseline: mean(turns.flatMap((t) => t.baseline.latencyMs ?? [])),
      candidate: mean(turns.map((t) => t.candidate.latencyMs)) ?? 0,
    },
    cost: { baseline: costs((t) => t.baseline.cost), candidate: costs((t) => t.candidate.cost) },
    change,
  };
}

async function judgeConversation(judge: Judge, turns: ReplayedTurn[]) {
  const transcript = [
    "Baseline conversation:",
    formatTranscript(
      turns.map((t) => ({ customer: t.baseline.customer, reply: t.baseline.reply })),
    ),
    "",
    "Candidate conversation (the same customer messages):",
    formatTranscript(
      turns.map((t) => ({ customer: t.baseline.customer, reply: t.candidate.reply })),
    ),
  ].join("\n");
  try {
    const verdict = await judge.grade(NOT_WORSE, transcript);
    return { notWorse: verdict.pass, reason: verdict.reason };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}
