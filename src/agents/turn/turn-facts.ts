import type { ScreeningRecord } from "../../conversations/index.ts";
import type { SpendCap, SpendConfig } from "../../limits/index.ts";
import { newId } from "../../shared/ids.ts";
import type { AgentTurnRecord, Conversation, Message, TurnTraceRecord } from "../../store/index.ts";
import type { AgentReply, AgentTurn } from "../agent.ts";
import type { TracedStep } from "../turn-trace.ts";

export type AgentUsage = NonNullable<AgentReply["usage"]>;
/** An agent version: what a turn, a reply and the spend counters are recorded against. */
export interface AgentRef {
  id: string;
  version: string;
}

/** One `process` job's turn as the runtime found it: the lines it answers and their context. */
export interface TurnInput {
  conversation: Conversation;
  /** The customer line whose job this is; the reply's `meta.inReplyTo`. */
  messageId: string;
  /** Every line the turn answers, oldest first (several for a burst, `meta.covers`). */
  lines: Message[];
  /** The lines as one message: what the agent is asked. */
  inbound: Message;
  /** The conversation's recent messages, oldest first. */
  history: Message[];
  /** The contact's earlier messages across its channels, each bounded: the agent's context. */
  turns: AgentTurn[];
}

/** The facts of one agent turn that metrics, rollouts and evaluations read (`agent_turns`). */
export interface TurnFacts {
  agent: AgentRef;
  latencyMs: number;
  provider: string | null;
  model: string | null;
  usage: AgentUsage | null;
  /** USD, null when the price is unknown. */
  cost: number | null;
  /** The answer came from a fallback link of the agent's provider chain. */
  fallback: boolean;
  /** The outbound policy's action on the reply (`allow` when nothing fired or no policy). */
  action: string;
  /** Finding types on the reply when the policy acted on it: a violation. */
  violations: string[];
  findings: string[];
  /** Why the agent gave no answer (a shadow candidate's failure); null when it answered. */
  error: string | null;
}

/** Why Mainstay answered instead of the agent. */
export type StandIn =
  | { reason: "kill_switch" }
  | { reason: "inbound_guardrail"; rule: string }
  | { reason: "negative_sentiment" }
  /** With `refuse`, nothing is sent and the conversation stays with the bot. */
  | { reason: "spend_cap"; cap: SpendCap; action: SpendConfig["action"] };

/** What one turn sends, and the reason the conversation goes to a person when it does. */
export type TurnDecision = StandInDecision | AgentDecision;

/** Mainstay's own message (a `system` author); the agent was not asked. */
export interface StandInDecision {
  by: "mainstay";
  text: string;
  handoff?: string;
  standIn: StandIn;
}

/** The agent's reply after the outbound policy: its words, the policy's, or a handoff. */
export interface AgentDecision {
  by: "agent";
  text: string;
  handoff?: string;
  turn: TurnFacts;
  /** The outbound screening (`meta.guardrails`, `guardrail.decision`); absent without a policy. */
  screening?: ScreeningRecord;
  /** What the agent said about its reply, kept on the stored message as it gave it. */
  reported: Pick<AgentReply, "confidence" | "meta">;
  /** What the turn did, step by step, redacted (`turn_traces`). */
  trace?: TracedStep[];
  /** The agent's own words on why it handed off (the model's, beside a fixed reason). */
  handoffDetail?: string;
}

/** The `agent_turns` row of one agent turn; a shadow turn has its unsent text and no reply. */
export function turnRecord(
  facts: TurnFacts,
  at: {
    conversation: Conversation;
    messageId: string;
    replyId: string | null;
    rolloutId: string | null;
    handoff: string | null;
    shadowText?: string;
    now: number;
  },
): AgentTurnRecord {
  return {
    id: newId("turn", at.now),
    conversationId: at.conversation.id,
    messageId: at.messageId,
    replyId: at.replyId,
    agentId: facts.agent.id,
    agentVersion: facts.agent.version,
    shadow: at.shadowText !== undefined,
    rolloutId: at.rolloutId,
    channelType: at.conversation.channelType,
    latencyMs: facts.latencyMs,
    provider: facts.provider,
    model: facts.model,
    inputTokens: facts.usage?.inputTokens ?? null,
    outputTokens: facts.usage?.outputTokens ?? null,
    cost: facts.cost,
    error: facts.error,
    fallback: facts.fallback,
    action: facts.action,
    findings: facts.findings,
    handoff: at.handoff,
    shadowText: at.shadowText ?? null,
    createdAt: at.now,
  };
}

/** The `turn_traces` row of a turn's recorded steps; none when nothing was traced. */
export function traceRecord(
  record: AgentTurnRecord,
  steps: TracedStep[] | undefined,
): TurnTraceRecord | undefined {
  if (!steps) return undefined;
  const { id: turnId, conversationId, messageId, replyId, createdAt } = record;
  return { turnId, conversationId, messageId, replyId, steps, createdAt };
}

/** What a turn adds to the spend counters. */
export function spentOn(turn: TurnFacts): { cost: number | null; tokens: number } {
  const tokens = (turn.usage?.inputTokens ?? 0) + (turn.usage?.outputTokens ?? 0);
  return { cost: turn.cost, tokens };
}
