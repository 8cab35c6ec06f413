import type { Logger } from "pino";
import {
  type ConversationService,
  type OutboundDraft,
  recordDecision,
} from "../../conversations/index.ts";
import type { SpendCap, SpendCaps } from "../../limits/index.ts";
import type { Clock } from "../../shared/clock.ts";
import type { Repositories } from "../../store/index.ts";
import { sentimentTrend } from "../handoff/sentiment.ts";
import type { TurnWrite, TurnWriteContext } from "../serving-agent.ts";
import { type Disclosure, disclose } from "./disclosure.ts";
import {
  type AgentDecision,
  type StandIn,
  spentOn,
  type TurnDecision,
  type TurnFacts,
  type TurnInput,
  traceRecord,
  turnRecord,
} from "./turn-facts.ts";

export interface TurnWriterDeps {
  service: ConversationService;
  clock: Clock;
  logger: Logger;
  spend?: SpendCaps;
}

/** A turn decided, ready to be stored. */
export interface DecidedTurn {
  input: TurnInput;
  decision: TurnDecision;
  /** The rollout the conversation takes part in, recorded on the agent's turn. */
  rolloutId: string | null;
  /** A companion's writes (a shadow turn), after the reply's. */
  also?: TurnWrite;
  /** The serving agent's AI disclosure: Mainstay's own first message carries it too. */
  disclosure?: Disclosure | undefined;
}

/**
 * Stores a decided turn in the caller's transaction, after checking again that the bot
 * still owns the conversation (a reply generated while a person took over is dropped): the
 * reply with its delivery job, the guardrail decision, the handoff, and the agent's turn
 * with what it spent. Returns whether the turn was answered.
 */
export async function writeTurn(
  tx: Repositories,
  deps: TurnWriterDeps,
  { input, decision, rolloutId, also, disclosure }: DecidedTurn,
): Promise<boolean> {
  const { service, clock, logger } = deps;
  const { conversation, messageId } = input;
  const refused =
    decision.by === "mainstay" &&
    decision.standIn.reason === "spend_cap" &&
    decision.standIn.action === "refuse";
  // The reply's touch of the conversation is the re-check: one statement, and only while the
  // bot owns it. A refused turn stores no message, so it only reads.
  const current = refused
    ? await tx.conversations.get(conversation.id)
    : await tx.conversations.touchIn(conversation.id, "bot", clock.now());
  if (current?.state !== "bot") {
    const dropped = { conversationId: conversation.id };
    logger.info(dropped, "answer dropped: conversation left the bot meanwhile");
    return false;
  }
  if (decision.by === "mainstay" && decision.standIn.reason === "spend_cap") {
    const { cap, action } = decision.standIn;
    const detail = { messageId, ...cap, action };
    await tx.events.append(conversation.id, "spend.capped", detail, clock.now());
    // `refuse`: the customer is told nothing, and the conversation stays with the bot.
    if (action === "refuse") return false;
  }
  const draft = replyDraft(input, decision, disclosure);
  const reply = await service.queueOutbound(tx, current, draft, { touched: true });
  const now = clock.now();
  const at: TurnWriteContext = {
    conversation: current,
    messageId,
    now,
    recordSpend: (turn, scopes) => recordSpend(tx, deps, input, turn, { now, scopes }),
  };
  if (decision.by === "agent" && decision.screening) {
    const audit = {
      direction: "outbound" as const,
      messageId: reply.id,
      record: decision.screening,
    };
    await recordDecision(tx, conversation.id, audit, now);
  }
  if (decision.handoff) {
    const detail = decision.by === "agent" ? decision.handoffDetail : undefined;
    await service.handOff(tx, conversation.id, decision.handoff, {
      messageId: reply.id,
      ...(detail && { detail }),
    });
    await tx.outcomes.setHandoff(conversation.id, decision.handoff, now);
  }
  if (decision.by === "agent") {
    await recordAgentTurn(tx, input, decision, { ...at, rolloutId, replyId: reply.id });
  }
  await also?.(tx, at);
  return true;
}

async function recordAgentTurn(
  tx: Repositories,
  input: TurnInput,
  decision: AgentDecision,
  at: TurnWriteContext & { rolloutId: string | null; replyId: string },
): Promise<void> {
  const { turn } = decision;
  const handoff = decision.handoff ?? null;
  const record = turnRecord(turn, { ...at, handoff });
  const trace = traceRecord(record, decision.trace);
  if (trace) await tx.turnTraces.insert(trace);
  await tx.outcomes.recordTurn(
    record,
    turn.violations,
    sentimentTrend(input.history, input.inbound),
  );
  await at.recordSpend(turn, ["conversation", "contact", "version"]);
}

/** Adds a turn's cost to the counters of its agent and of the conversation's customer. */
async function recordSpend(
  tx: Repositories,
  deps: TurnWriterDeps,
  { conversation }: TurnInput,
  turn: TurnFacts,
  at: { now: number; scopes: SpendCap["scope"][] },
): Promise<void> {
  const keys = {
    conversationId: conversation.id,
    contactId: conversation.contactId,
    agent: turn.agent,
  };
  await deps.spend?.record(tx.db, keys, spentOn(turn), at.now, at.scopes);
}

/** The reply as stored: Mainstay's own messages have no agent; `meta` is what the API shows. */
function replyDraft(
  input: TurnInput,
  decision: TurnDecision,
  disclosure: Disclosure | undefined,
): OutboundDraft {
  const agent = decision.by === "agent" ? decision.turn.agent : undefined;
  const { lines } = input;
  // The agent's reply was disclosed before it was screened (ask-agent.ts); Mainstay's own here.
  const disclosed =
    decision.by === "mainstay"
      ? disclose(decision.text, disclosure, {
          channelType: input.conversation.channelType,
          history: input.history,
          customerText: input.inbound.text,
        })
      : undefined;
  return {
    text: disclosed?.text ?? decision.text,
    author: agent ? "agent" : "system",
    agentId: agent?.id ?? null,
    agentVersion: agent?.version ?? null,
    meta: {
      inReplyTo: input.messageId,
      ...(lines.length > 1 ? { covers: lines.map((m) => m.id) } : {}),
      ...(decision.by === "agent" ? agentMeta(decision) : standInMeta(decision.standIn)),
      ...(disclosed && { disclosure: disclosed.locale }),
    },
  };
}

/** Latency, usage and cost, what the agent reported, and the outbound screening. */
function agentMeta({ turn, reported, screening }: AgentDecision): Record<string, unknown> {
  return {
    latencyMs: turn.latencyMs,
    ...(reported.confidence !== undefined ? { confidence: reported.confidence } : {}),
    ...reported.meta,
    ...(turn.usage ? { usage: turn.usage, cost: turn.cost } : {}),
    ...(screening ? { guardrails: screening } : {}),
  };
}

function standInMeta(standIn: StandIn): Record<string, unknown> {
  switch (standIn.reason) {
    case "kill_switch":
      return { killSwitch: true };
    case "inbound_guardrail":
      return { guardrail: standIn.rule };
    case "spend_cap":
      return { spendCap: standIn.cap.scope };
    case "negative_sentiment":
      return {};
  }
}
