import type { ScreenAllTiers } from "../conversations/index.ts";
import type { SpendCap } from "../limits/index.ts";
import type { Conversation, Repositories } from "../store/index.ts";
import type { Agent } from "./agent.ts";
import type { Override } from "./turn/decide-turn.ts";
import type { Disclosure } from "./turn/disclosure.ts";
import type { AgentDecision, AgentRef, TurnFacts, TurnInput } from "./turn/turn-facts.ts";
import type { RedactText } from "./turn-trace.ts";

/** An agent with the settings its document overrides for the conversations it serves. */
export interface ServingAgent {
  agent: Agent;
  /** The agent's own outbound policy (its document's `policy`). */
  screen?: ScreenAllTiers;
  /** Its policy's redact rules, for what the turn trace keeps. */
  redact?: RedactText;
  handoffText?: string;
  negativeSentimentStreak?: number;
  /** Told first to a customer the machine answers (its document's `disclosure`). */
  disclosure?: Disclosure;
  /** The rollout the conversation takes part in, recorded on each of its turns. */
  rolloutId?: string;
  /** Mainstay answers instead of the agent (the agent is killed). */
  override?: Override;
  /** Answers alongside the agent, never sent (a rollout's shadow candidate, `rollouts/`). */
  alongside?: TurnCompanion;
}

/**
 * Something that joins every turn the agent is asked: it runs at the same time as the agent
 * and must not fail, and what it returns is written in the reply's transaction, after the
 * reply. It cannot change what the customer is sent.
 */
export interface TurnCompanion {
  join(turn: SharedTurn): Promise<TurnWrite | undefined>;
}

/** The turn a companion joins, and the runtime's own steps for answering it. */
export interface SharedTurn {
  input: TurnInput;
  /** A serving agent's answer, screened with its own policy; a failure is the turn's error. */
  tryAnswer(serving: ServingAgent): Promise<AgentDecision>;
  /** Whether the agent's turn would pass a spend cap; a cap reached is told as `action`. */
  spendCapped(agent: AgentRef, action: string): Promise<boolean>;
}

/** Writes in the reply's transaction, after the reply and the agent's turn are stored. */
export type TurnWrite = (tx: Repositories, at: TurnWriteContext) => Promise<void>;

export interface TurnWriteContext {
  /** The conversation as read again in the transaction. */
  conversation: Conversation;
  messageId: string;
  now: number;
  /** Adds a turn's cost to its agent's spend counters of these scopes, in the transaction. */
  recordSpend(turn: TurnFacts, scopes: SpendCap["scope"][]): Promise<void>;
}
