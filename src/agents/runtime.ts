import type { Logger } from "pino";
import {
  type ConversationService,
  type ProcessJobPayload,
  recordDecision,
  type ScreenAllTiers,
  type ScreeningRecord,
  screeningRecord,
  VIOLATION_ACTIONS,
} from "../conversations/index.ts";
import type { JobHandler } from "../jobs/index.ts";
import type { SpendCap, SpendCaps, SpendKeys } from "../limits/index.ts";
import type { Clock } from "../shared/clock.ts";
import { newId } from "../shared/ids.ts";
import type { AgentTurnRecord, Conversation, Message } from "../store/index.ts";
import type { Agent, AgentReply, AgentTurn } from "./agent.ts";
import { burstFor } from "./coalesce-burst.ts";
import { negativeStreak, sentimentTrend } from "./handoff/sentiment.ts";

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

/** An agent with the settings its document overrides for the conversations it serves. */
export interface ServingAgent {
  agent: Agent;
  /** The agent's own outbound policy (its document's `policy`). */
  screen?: ScreenAllTiers;
  handoffText?: string;
  negativeSentimentStreak?: number;
  /** The rollout the conversation takes part in, recorded on each of its turns. */
  rolloutId?: string;
  /** A candidate answering the same messages, never sent (a rollout's shadow step). */
  shadow?: { serving: ServingAgent; rolloutId: string };
  /**
   * Mainstay answers instead of the agent (the agent is killed): this text, and a handoff
   * when a person should take over.
   */
  override?: { text: string; handoff?: string };
}

export const DEFAULT_HANDOFF_TEXT =
  "Let me bring in a person from our team to help with this. They'll reply here shortly.";

type AgentUsage = NonNullable<AgentReply["usage"]>;

const ROLE: Record<Message["author"], AgentTurn["role"]> = {
  customer: "customer",
  agent: "agent",
  human: "human",
  system: "system",
};

/** What the runtime decided to send, and whether the conversation goes to a person. */
interface Outcome {
  text: string;
  author: "agent" | "system";
  /** The agent version that wrote it (absent for Mainstay's own messages). */
  agent?: { id: string; version: string };
  handoff?: string;
  meta: Record<string, unknown>;
  /** What the agent's turn cost and what the policy did with it (absent for Mainstay's own). */
  turn?: TurnFacts;
  /** The spend cap that stopped the agent; with `refuse`, nothing is sent. */
  spendCap?: { cap: SpendCap; action: string };
}

/** The facts of one agent turn that metrics, rollouts and evaluations read. */
interface TurnFacts {
  latencyMs: number;
  provider: string | null;
  model: string | null;
  usage: AgentUsage | null;
  cost: number | null;
  fallback: boolean;
  action: string;
  /** Finding types on the reply when the policy acted on it: a violation. */
  violations: string[];
  findings: string[];
  error: string | null;
}

/**
 * The `process` job: answer one inbound message. The answer, and a handoff when there is
 * one, are stored with the delivery job in one transaction, after checking again that the
 * bot still owns the conversation: a reply generated while a person took over is dropped.
 */
export function agentRuntime(options: AgentRuntimeOptions): JobHandler {
  const { service, clock, logger } = options;
  const store = service.store;
  return {
    async run(job) {
      const { conversationId, messageId } = job.payload as unknown as ProcessJobPayload;
      const conversation = await store.conversations.get(conversationId);
      if (conversation?.state !== "bot") return;
      const historyLimit = options.historyLimit ?? 20;
      const history = await store.messages.recent(conversationId, historyLimit);
      const stored =
        history.find((m) => m.id === messageId) ?? (await store.messages.get(messageId));
      if (!stored) return;
      // Answered already (a retried job), or a later line's job answers this one with it.
      const lines = burstFor(history, stored);
      if (!lines) return;
      const inbound =
        lines.length === 1 ? stored : { ...stored, text: lines.map((m) => m.text).join("\n") };
      // The agent sees the customer across channels: what they wrote on WhatsApp yesterday
      // is context for today's email. Only turns before these lines, each bounded.
      const turns = (
        await store.messages.recentForContact(conversation.contactId, historyLimit, lines[0]!.id)
      ).map((m) => ({ role: ROLE[m.author], text: boundTurn(m.text) }));
      const serving = await options.agentFor(conversation);
      const { agent, shadow, rolloutId, override, ...overrides } = serving;
      const settings = { ...options, ...definedOnly(overrides) };
      const context = { history, turns };
      const spendKeys = (by: Agent): SpendKeys => ({
        conversationId,
        contactId: conversation.contactId,
        agent: { id: by.id, version: by.version },
      });
      const preset =
        (override && { ...override, author: "system" as const, meta: { killSwitch: true } }) ??
        firstVerdict(lines, settings) ??
        frustration(history, inbound, settings) ??
        (await spendCapped(spendKeys(agent), settings));
      // The shadow candidate answers the same message at the same time; its failure or
      // slowness never touches the customer's answer. A capped candidate stays quiet.
      const shadowing =
        shadow && !preset && !(await spendCapped(spendKeys(shadow.serving.agent), options, true));
      const [outcome, shadowOutcome] = preset
        ? [preset, undefined]
        : await Promise.all([
            askAgent(agent, conversation, inbound, context, settings),
            shadowing && askShadow(shadow.serving, conversation, inbound, context, options),
          ]);
      const answered = await service.transact(async (tx) => {
        const current = await tx.conversations.get(conversationId);
        if (current?.state !== "bot") {
          logger.info({ conversationId }, "answer dropped: conversation left the bot meanwhile");
          return false;
        }
        if (outcome.spendCap) {
          const { cap, action } = outcome.spendCap;
          const detail = { messageId, ...cap, action };
          await tx.events.append(conversationId, "spend.capped", detail, clock.now());
          // `refuse`: the customer is told nothing, and the conversation stays with the bot.
          if (action === "refuse") return false;
        }
        const fromAgent = outcome.agent;
        const message = await service.queueOutbound(tx, current, {
          text: outcome.text,
          author: outcome.author,
          agentId: fromAgent?.id ?? null,
          agentVersion: fromAgent?.version ?? null,
          meta: {
            inReplyTo: messageId,
            ...(lines.length > 1 ? { covers: lines.map((m) => m.id) } : {}),
            ...outcome.meta,
          },
        });
        const guardrails = outcome.meta["guardrails"] as ScreeningRecord | undefined;
        const now = clock.now();
        if (guardrails) {
          const decision = {
            direction: "outbound" as const,
            messageId: message.id,
            record: guardrails,
          };
          await recordDecision(tx, conversationId, decision, now);
        }
        if (outcome.handoff) {
          await service.handOff(tx, conversationId, outcome.handoff, { messageId: message.id });
          await tx.outcomes.setHandoff(conversationId, outcome.handoff, now);
        }
        if (fromAgent && outcome.turn) {
          await tx.outcomes.recordTurn(
            turnRecord(outcome.turn, {
              conversation: current,
              messageId,
              replyId: message.id,
              agent: fromAgent,
              rolloutId: rolloutId ?? null,
              handoff: outcome.handoff ?? null,
              now,
            }),
            outcome.turn.violations,
            sentimentTrend(history, inbound),
          );
          await options.spend?.record(tx.db, spendKeys(agent), spentOn(outcome.turn), now);
        }
        if (shadow && shadowOutcome) {
          const candidate = shadow.serving.agent;
          await tx.outcomes.start(
            {
              conversationId,
              agentId: candidate.id,
              agentVersion: candidate.version,
              shadow: true,
              rolloutId: shadow.rolloutId,
              arm: "candidate",
              // Both versions answer every message: a bad outcome is equally likely from
              // either under no difference.
              share: 0.5,
              channelType: current.channelType,
            },
            now,
          );
          await tx.outcomes.recordTurn(
            turnRecord(shadowOutcome.turn, {
              conversation: current,
              messageId,
              replyId: null,
              agent: candidate,
              rolloutId: shadow.rolloutId,
              handoff: shadowOutcome.handoff ?? null,
              shadowText: shadowOutcome.text,
              now,
            }),
            shadowOutcome.turn.violations,
          );
          // A shadow answer costs the candidate's version, never the customer's allowance.
          const spent = spentOn(shadowOutcome.turn);
          await options.spend?.record(tx.db, spendKeys(candidate), spent, now, ["version"]);
        }
        return true;
      });
      if (answered) {
        const rollout = rolloutId ?? shadow?.rolloutId ?? null;
        options.onTurn?.({ conversationId, rolloutId: rollout });
      }
    },

    async onDead(job, error) {
      // The agent failed on every attempt: a person takes over rather than leave the
      // customer unanswered.
      const { conversationId, messageId } = job.payload as unknown as ProcessJobPayload;
      // Resolved before the transaction: the store refuses reads off `tx` inside it.
      const started = await store.conversations.get(conversationId);
      const handoffText = started && (await options.agentFor(started)).handoffText;
      await service.transact(async (tx) => {
        const conversation = await tx.conversations.get(conversationId);
        if (!conversation) return;
        await tx.events.append(
          conversationId,
          "agent.failed",
          { messageId, error, attempts: job.attempts },
          clock.now(),
        );
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

/** A customer negative several messages in a row wants a person, not another answer. */
function frustration(
  history: Message[],
  inbound: Message,
  options: AgentRuntimeOptions,
): Outcome | undefined {
  const streak = options.negativeSentimentStreak ?? 3;
  // Only what the customer said since a person last wrote: a handback starts afresh.
  const lastHuman = history.findLast((m) => m.author === "human")?.id ?? "";
  const said = history.filter(
    (m) => m.direction === "inbound" && m.id > lastHuman && m.id <= inbound.id,
  );
  if (
    !negativeStreak(
      said.map((m) => m.text),
      streak,
    )
  )
    return undefined;
  return {
    text: options.handoffText ?? DEFAULT_HANDOFF_TEXT,
    author: "system",
    handoff: "negative_sentiment",
    meta: {},
  };
}

/** The most severe inbound verdict among the lines a turn answers: a handoff first. */
function firstVerdict(lines: Message[], options: AgentRuntimeOptions): Outcome | undefined {
  const verdicts = lines.map((m) => inboundVerdict(m, options)).filter((v) => v !== undefined);
  return verdicts.find((v) => v.handoff !== undefined) ?? verdicts[0];
}

/**
 * A spend cap the turn would pass: Mainstay answers instead of the agent, as configured
 * (`limits.spend.action`), and the turn costs nothing more.
 */
async function spendCapped(
  keys: SpendKeys,
  options: AgentRuntimeOptions,
  shadow = false,
): Promise<Outcome | undefined> {
  const { spend } = options;
  const cap = spend && (await spend.reached(options.service.store.db, keys, options.clock.now()));
  if (!cap) return undefined;
  const action = spend.action;
  options.onSpendCap?.(cap, shadow ? "shadow_skipped" : action);
  const text = spend.message ?? options.handoffText ?? DEFAULT_HANDOFF_TEXT;
  return {
    text,
    author: "system",
    ...(action === "handoff" ? { handoff: "spend_cap" } : {}),
    meta: { spendCap: cap.scope },
    spendCap: { cap, action },
  };
}

function spentOn(turn: TurnFacts): { cost: number | null; tokens: number } {
  const tokens = (turn.usage?.inputTokens ?? 0) + (turn.usage?.outputTokens ?? 0);
  return { cost: turn.cost, tokens };
}

/** The inbound policy already decided (at receive time) that the agent must not answer. */
function inboundVerdict(inbound: Message, options: AgentRuntimeOptions): Outcome | undefined {
  const record = inbound.meta["guardrails"] as ScreeningRecord | undefined;
  if (!record) return undefined;
  const rule = record.rule ?? "policy";
  if (record.action === "escalate") {
    return {
      text: options.handoffText ?? DEFAULT_HANDOFF_TEXT,
      author: "system",
      handoff: `guardrail:${rule}`,
      meta: { guardrail: rule },
    };
  }
  if (record.action === "block" || record.action === "fallback") {
    return { text: record.reply ?? "", author: "system", meta: { guardrail: rule } };
  }
  return undefined;
}

/** Longest turn text given to the agent; a longer one is cut, ending in an ellipsis. */
const MAX_TURN_CHARS = 500;

function boundTurn(text: string): string {
  const chars = Array.from(text); // code points, so an emoji is never cut in half
  return chars.length <= MAX_TURN_CHARS ? text : `${chars.slice(0, MAX_TURN_CHARS - 1).join("")}…`;
}

async function askAgent(
  agent: Agent,
  conversation: Conversation,
  inbound: Message,
  context: { history: Message[]; turns: AgentTurn[] },
  options: AgentRuntimeOptions,
): Promise<Outcome> {
  const { history, turns } = context;
  const { clock } = options;
  const started = clock.now();
  const reply = await agent.respond(
    {
      conversationId: conversation.id,
      contactId: conversation.contactId,
      channel: conversation.channelType,
      history: turns,
      text: inbound.text,
    },
    AbortSignal.timeout(options.timeoutMs ?? 30_000),
  );
  const meta: Record<string, unknown> = {
    latencyMs: clock.now() - started,
    ...(reply.confidence !== undefined ? { confidence: reply.confidence } : {}),
    ...reply.meta,
    ...usageRecord(reply.usage, reply.meta, options),
  };
  const by = { id: agent.id, version: agent.version };
  const screening = await options.screen?.({
    direction: "outbound",
    channel: conversation.channelType,
    text: reply.text,
    context: { firstOutbound: !history.some((m) => m.direction === "outbound") },
  });
  const handoff = reply.handoff?.reason;
  const findings = [...new Set(screening?.findings.map((f) => f.type) ?? [])].sort();
  const acted = screening !== undefined && VIOLATION_ACTIONS.has(screening.action);
  const turn: TurnFacts = {
    latencyMs: meta["latencyMs"] as number,
    provider: typeof meta["provider"] === "string" ? meta["provider"] : null,
    model: typeof meta["model"] === "string" ? meta["model"] : null,
    usage: reply.usage ?? null,
    cost: typeof meta["cost"] === "number" ? meta["cost"] : null,
    fallback: meta["fallback"] === true,
    action: screening?.action ?? "allow",
    violations: acted ? findings : [],
    findings,
    error: null,
  };
  if (!screening) return { text: reply.text, author: "agent", agent: by, handoff, meta, turn };
  meta["guardrails"] = screeningRecord(screening);
  switch (screening.action) {
    // The agent's words are not stored either (they may hold the secret that blocked
    // them); the findings on the reply record which rule fired on which span.
    case "block":
    case "fallback":
      return { text: screening.reply ?? "", author: "agent", agent: by, handoff, meta, turn };
    case "escalate":
      return {
        text: options.handoffText ?? DEFAULT_HANDOFF_TEXT,
        author: "agent",
        agent: by,
        handoff: `guardrail:${screening.rule ?? "policy"}`,
        meta,
        turn,
      };
    default:
      return { text: screening.text, author: "agent", agent: by, handoff, meta, turn };
  }
}

/**
 * The shadow candidate's answer, screened with its own policy but never sent; a failure is
 * recorded as the turn's error instead of failing the job.
 */
async function askShadow(
  serving: ServingAgent,
  conversation: Conversation,
  inbound: Message,
  context: { history: Message[]; turns: AgentTurn[] },
  options: AgentRuntimeOptions,
): Promise<{ text: string; handoff?: string; turn: TurnFacts }> {
  const settings = { ...options, ...definedOnly({ ...serving, agent: undefined }) };
  const started = options.clock.now();
  try {
    const outcome = await askAgent(serving.agent, conversation, inbound, context, settings);
    // What the candidate would have sent: its words when allowed, else the policy's reply.
    return { text: outcome.text, handoff: outcome.handoff, turn: outcome.turn! };
  } catch (e) {
    return {
      text: "",
      turn: {
        latencyMs: options.clock.now() - started,
        provider: null,
        model: null,
        usage: null,
        cost: null,
        fallback: false,
        action: "allow",
        violations: [],
        findings: [],
        error: e instanceof Error ? e.message : String(e),
      },
    };
  }
}

function turnRecord(
  facts: TurnFacts,
  at: {
    conversation: Conversation;
    messageId: string;
    replyId: string | null;
    agent: { id: string; version: string };
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
    agentId: at.agent.id,
    agentVersion: at.agent.version,
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

/** Tokens and their cost, kept on every reply an LLM wrote (the price table may not know it). */
function usageRecord(
  usage: AgentUsage | undefined,
  meta: Record<string, unknown> | undefined,
  options: AgentRuntimeOptions,
) {
  if (!usage) return {};
  const provider = String(meta?.["provider"] ?? "");
  const model = String(meta?.["model"] ?? "");
  return { usage, cost: options.costOf?.(usage, provider, model) ?? null };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
