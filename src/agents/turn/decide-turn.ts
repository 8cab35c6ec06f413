import {
  type Screening,
  type ScreeningRecord,
  screeningRecord,
  VIOLATION_ACTIONS,
} from "../../conversations/index.ts";
import type { SpendCap, SpendConfig } from "../../limits/index.ts";
import type { Message } from "../../store/index.ts";
import type { AgentReply } from "../agent.ts";
import { negativeStreak } from "../handoff/sentiment.ts";
import type {
  AgentDecision,
  AgentRef,
  AgentUsage,
  StandInDecision,
  TurnFacts,
  TurnInput,
} from "./turn-facts.ts";

export const DEFAULT_HANDOFF_TEXT =
  "Let me bring in a person from our team to help with this. They'll reply here shortly.";

/** The settings of a turn that an agent's document may override. */
export interface HandoffSettings {
  /** Told to the customer when Mainstay (not the agent) hands the conversation to a person. */
  handoffText?: string;
  /** Hand off after this many negative customer messages in a row; 0 turns it off. */
  negativeSentimentStreak?: number;
}

/** Mainstay answers instead of the agent (the agent is killed): this text, maybe a handoff. */
export type Override = { text: string; handoff?: string };

/**
 * Mainstay's own answer before the agent is asked, or undefined to ask it: the kill switch's
 * override first, then the inbound policy's verdict on the lines, then the customer's mood.
 */
export function decideTurn(
  input: Pick<TurnInput, "lines" | "inbound" | "history">,
  override: Override | undefined,
  settings: HandoffSettings,
): StandInDecision | undefined {
  if (override) return { by: "mainstay", ...override, standIn: { reason: "kill_switch" } };
  return firstVerdict(input.lines, settings) ?? frustration(input, settings);
}

/**
 * A spend cap the turn would pass: Mainstay answers instead of the agent, as configured
 * (`limits.spend.action`), and the turn costs nothing more.
 */
export function decideSpendCap(
  cap: SpendCap,
  spend: { action: SpendConfig["action"]; message?: string },
  settings: HandoffSettings,
): StandInDecision {
  const { action } = spend;
  return {
    by: "mainstay",
    text: spend.message ?? settings.handoffText ?? DEFAULT_HANDOFF_TEXT,
    ...(action === "handoff" ? { handoff: "spend_cap" } : {}),
    standIn: { reason: "spend_cap", cap, action },
  };
}

/** The agent's reply as the runtime got it: measured, and screened by the outbound policy. */
export interface AgentAnswer {
  agent: AgentRef;
  reply: AgentReply;
  /** Absent when no outbound policy applies. */
  screening?: Screening;
  latencyMs: number;
  /** USD cost of a reply's tokens, or null when the price is unknown. */
  costOf?: (usage: AgentUsage, provider: string, model: string) => number | null;
}

/**
 * What the agent's reply sends once the policy has acted: `block` and `fallback` send the
 * safe reply (the agent's words are not stored: they may hold what blocked them), `escalate`
 * hands off, `redact` and the rest send the screened text.
 */
export function decideReply(answer: AgentAnswer, settings: HandoffSettings): AgentDecision {
  const { reply, screening } = answer;
  const decided = {
    by: "agent" as const,
    turn: turnFacts(answer),
    ...(screening && { screening: screeningRecord(screening) }),
    reported: { confidence: reply.confidence, meta: reply.meta },
    ...(reply.handoff?.detail && { handoffDetail: reply.handoff.detail }),
  };
  const handoff = reply.handoff?.reason;
  if (!screening) return { ...decided, text: reply.text, handoff };
  switch (screening.action) {
    case "block":
    case "fallback":
      return { ...decided, text: screening.reply ?? "", handoff };
    case "escalate": {
      const text = settings.handoffText ?? DEFAULT_HANDOFF_TEXT;
      return { ...decided, text, handoff: `guardrail:${screening.rule ?? "policy"}` };
    }
    default:
      return { ...decided, text: screening.text, handoff };
  }
}

function turnFacts({ agent, reply, screening, latencyMs, costOf }: AgentAnswer): TurnFacts {
  const findings = [...new Set(screening?.findings.map((f) => f.type) ?? [])].sort();
  const acted = screening !== undefined && VIOLATION_ACTIONS.has(screening.action);
  return {
    agent: { id: agent.id, version: agent.version },
    latencyMs,
    ...reportedFacts(reply, costOf),
    usage: reply.usage ?? null,
    action: screening?.action ?? "allow",
    violations: acted ? findings : [],
    findings,
    error: null,
  };
}

/**
 * What the agent reports in its reply's `meta` (an LLM agent: `provider`, `model`,
 * `fallback`), and the cost of its tokens at that provider's price.
 */
function reportedFacts(reply: AgentReply, costOf: AgentAnswer["costOf"]) {
  const { provider, model, fallback, cost } = reply.meta ?? {};
  const reportedCost = typeof cost === "number" ? cost : null;
  return {
    provider: typeof provider === "string" ? provider : null,
    model: typeof model === "string" ? model : null,
    fallback: fallback === true,
    cost: reply.usage
      ? (costOf?.(reply.usage, String(provider ?? ""), String(model ?? "")) ?? null)
      : reportedCost,
  };
}

/** The most severe inbound verdict among the lines a turn answers: a handoff first. */
function firstVerdict(lines: Message[], settings: HandoffSettings): StandInDecision | undefined {
  const verdicts = lines.map((m) => inboundVerdict(m, settings)).filter((v) => v !== undefined);
  return verdicts.find((v) => v.handoff !== undefined) ?? verdicts[0];
}

/** The inbound policy already decided (at receive time) that the agent must not answer. */
function inboundVerdict(inbound: Message, settings: HandoffSettings): StandInDecision | undefined {
  // Written by ConversationService.receive from `screeningRecord`.
  const record = inbound.meta["guardrails"] as ScreeningRecord | undefined;
  if (!record) return undefined;
  const rule = record.rule ?? "policy";
  const standIn = { reason: "inbound_guardrail" as const, rule };
  if (record.action === "escalate") {
    const text = settings.handoffText ?? DEFAULT_HANDOFF_TEXT;
    return { by: "mainstay", text, handoff: `guardrail:${rule}`, standIn };
  }
  if (record.action === "block" || record.action === "fallback") {
    return { by: "mainstay", text: record.reply ?? "", standIn };
  }
  return undefined;
}

/** A customer negative several messages in a row wants a person, not another answer. */
function frustration(
  { history, inbound }: Pick<TurnInput, "inbound" | "history">,
  settings: HandoffSettings,
): StandInDecision | undefined {
  const streak = settings.negativeSentimentStreak ?? 3;
  // Only what the customer said since a person last wrote: a handback starts afresh.
  const lastHuman = history.findLast((m) => m.author === "human")?.id ?? "";
  const said = history.filter(
    (m) => m.direction === "inbound" && m.id > lastHuman && m.id <= inbound.id,
  );
  const texts = said.map((m) => m.text);
  if (!negativeStreak(texts, streak)) return undefined;
  const text = settings.handoffText ?? DEFAULT_HANDOFF_TEXT;
  return {
    by: "mainstay",
    text,
    handoff: "negative_sentiment",
    standIn: { reason: "negative_sentiment" },
  };
}
