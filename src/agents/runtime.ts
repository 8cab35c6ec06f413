import type { Logger } from "pino";
import { type ConversationService, jobReads, type ScreenAllTiers } from "../conversations/index.ts";
import { finishJob, type JobHandler } from "../jobs/index.ts";
import type { SpendCap, SpendCaps } from "../limits/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Conversation } from "../store/index.ts";
import type { ServingAgent, SharedTurn, TurnWrite } from "./serving-agent.ts";
import { type AskSettings, askAgent, tryAskAgent } from "./turn/ask-agent.ts";
import { DEFAULT_HANDOFF_TEXT, decideSpendCap, decideTurn } from "./turn/decide-turn.ts";
import { loadTurn, readProcessPayload } from "./turn/load-turn.ts";
import type { AgentRef, AgentUsage, TurnDecision, TurnInput } from "./turn/turn-facts.ts";
import { writeTurn } from "./turn/write-turn.ts";
import type { RedactText } from "./turn-trace.ts";

export interface AgentRuntimeOptions {
  service: ConversationService;
  /** The agent version serving a conversation (the one pinned on it when it started). */
  agentFor: (conversation: Conversation) => Promise<ServingAgent>;
  /** USD cost of a reply's tokens, or null when the price is unknown. */
  costOf?: (usage: AgentUsage, provider: string, model: string) => number | null;
  clock: Clock;
  logger: Logger;
  /** The outbound guardrail policy: every reply passes it before it is queued. */
  screen?: ScreenAllTiers;
  /** That policy's redact rules, for what turn traces keep. */
  redact?: RedactText;
  /** Told to the customer when Mainstay (not the agent) hands the conversation to a person. */
  handoffText?: string;
  /** Hand off after this many negative customer messages in a row; 0 turns it off. */
  negativeSentimentStreak?: number;
  /** Earlier messages given to the agent as context. */
  historyLimit?: number;
  timeoutMs?: number;
  /** Told after each answered turn is stored (rollouts re-check their evidence). */
  onTurn?: (turn: { conversationId: string; rolloutId: string | null }) => void;
  /** Spend caps per conversation, contact and version; checked before every agent turn. */
  spend?: SpendCaps;
  /** Told when a spend cap stopped a turn (metrics). */
  onSpendCap?: (cap: SpendCap, action: string) => void;
}

/**
 * The `process` job: answer one inbound message. Mainstay's own answer is decided first
 * (`decideTurn`, then the spend caps); otherwise the agent is asked and its reply screened,
 * with the serving agent's companion (a rollout's shadow candidate) answering alongside.
 * The answer is stored by `writeTurn` in one transaction with its delivery job.
 */
export function agentRuntime(options: AgentRuntimeOptions): JobHandler {
  const { service, clock } = options;
  const decide = turnDecider(options);

  return {
    async run(job) {
      const payload = readProcessPayload(job);
      const reads = jobReads(job, service.store);
      const input = await loadTurn(service.store, reads, payload, options.historyLimit ?? 20);
      if (!input) return;
      const serving = await options.agentFor(input.conversation);
      const { decision, also } = await decide(input, serving);
      const rolloutId = serving.rolloutId ?? null;
      const turn = { input, decision, rolloutId, also, disclosure: serving.disclosure };
      const answered = await service.transact(async (tx) => {
        const written = await writeTurn(tx, options, turn);
        await finishJob(job, tx.db);
        return written;
      });
      if (answered) options.onTurn?.({ conversationId: input.conversation.id, rolloutId });
    },

    async onDead(job, error) {
      // The agent failed on every attempt: a person takes over rather than leave the
      // customer unanswered.
      const { conversationId, messageId } = readProcessPayload(job);
      // Resolved before the transaction: the store refuses reads off `tx` inside it.
      const started = await service.store.conversations.get(conversationId);
      const handoffText = started && (await options.agentFor(started)).handoffText;
      await service.transact(async (tx) => {
        const conversation = await tx.conversations.get(conversationId);
        if (!conversation) return;
        const detail = { messageId, error, attempts: job.attempts };
        await tx.events.append(conversationId, "agent.failed", detail, clock.now());
        if (conversation.state !== "bot") return;
        const message = await service.queueOutbound(tx, conversation, {
          text: handoffText ?? options.handoffText ?? DEFAULT_HANDOFF_TEXT,
          author: "system",
          meta: { inReplyTo: messageId },
        });
        await service.handOff(tx, conversationId, "agent_failure", { messageId: message.id });
        await tx.outcomes.setHandoff(conversationId, "agent_failure", clock.now());
      });
    },
  };
}

/** Mainstay's own answer to a turn, or the agent's with what its companion writes. */
function turnDecider(options: AgentRuntimeOptions) {
  const { service, clock, spend } = options;
  // A serving agent's document overrides the server-wide settings.
  const settingsOf = (serving: ServingAgent): AskSettings => ({
    clock,
    timeoutMs: options.timeoutMs,
    costOf: options.costOf,
    screen: serving.screen ?? options.screen,
    redact: serving.redact ?? options.redact,
    ...(serving.disclosure && { disclosure: serving.disclosure }),
    handoffText: serving.handoffText ?? options.handoffText,
    negativeSentimentStreak: serving.negativeSentimentStreak ?? options.negativeSentimentStreak,
  });
  /** The spend cap the agent's turn would pass, told to metrics as `action`. */
  const capReached = async (input: TurnInput, agent: AgentRef, action?: string) => {
    if (!spend) return undefined;
    const { conversation } = input;
    const keys = {
      conversationId: conversation.id,
      contactId: conversation.contactId,
      agent: { id: agent.id, version: agent.version },
    };
    const cap = await spend.reached(service.store.db, keys, clock.now());
    if (cap) options.onSpendCap?.(cap, action ?? spend.action);
    return cap;
  };

  return async (
    input: TurnInput,
    serving: ServingAgent,
  ): Promise<{ decision: TurnDecision; also?: TurnWrite }> => {
    const settings = settingsOf(serving);
    const standIn = decideTurn(input, serving.override, settings);
    if (standIn) return { decision: standIn };
    const cap = await capReached(input, serving.agent);
    if (cap && spend) return { decision: decideSpendCap(cap, spend, settings) };
    const shared: SharedTurn = {
      input,
      tryAnswer: (other) => tryAskAgent(other.agent, input, settingsOf(other)),
      spendCapped: async (agent, action) => (await capReached(input, agent, action)) !== undefined,
    };
    const [decision, also] = await Promise.all([
      askAgent(serving.agent, input, settings),
      serving.alongside?.join(shared),
    ]);
    return { decision, also };
  };
}
