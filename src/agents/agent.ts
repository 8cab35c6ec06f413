/**
 * The seam every agent plugs into: the offline built-in agent now, LLM agents with tools
 * later. An agent is a pure-ish function of the conversation so far; storage, guardrails
 * and delivery happen around it.
 */
import type { TurnTracer } from "./turn-trace.ts";

export type TurnRole = "customer" | "agent" | "human" | "system";

export interface AgentTurn {
  role: TurnRole;
  text: string;
}

export interface AgentContext {
  conversationId: string;
  contactId: string;
  /** Channel type the customer is on (`webchat`, `generic`, ...). */
  channel: string;
  /** Earlier turns, oldest first, not including `text`. */
  history: AgentTurn[];
  /** The customer's latest message. */
  text: string;
  /** Where the agent writes what it did, step by step (the runtime stores the trace). */
  trace?: TurnTracer;
}

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  result?: unknown;
}

export interface AgentReply {
  text: string;
  /** Set when the agent wants a person to take over; the runtime changes the state. */
  handoff?: AgentHandoff;
  /** 0..1 where the agent can tell; the built-in agent reports its retrieval score. */
  confidence?: number;
  toolCalls?: ToolCall[];
  usage?: { inputTokens: number; outputTokens: number };
  /** Anything worth keeping on the stored message (matched FAQ entry, model...). */
  meta?: Record<string, unknown>;
}

/** One of HANDOFF_REASONS for an agent's own handoff, with the model's words as `detail`. */
export interface AgentHandoff {
  reason: string;
  detail?: string;
}

export interface Agent {
  /** Agent id and version, recorded on every reply it produces. */
  readonly id: string;
  readonly version: string;
  respond(context: AgentContext, signal?: AbortSignal): Promise<AgentReply>;
}
