import type { Executor } from "../database.ts";
import type { ConversationState, Resolution } from "../model.ts";
import { type EvidenceUnit, evidenceOnEvent, evidenceOnTurn } from "./rollout-evidence.ts";

/** One agent turn, sent or shadow: latency, usage, what the outbound policy did. */
export interface AgentTurnRecord {
  id: string;
  conversationId: string;
  messageId: string;
  /** The stored reply (null for shadow turns, which are never sent). */
  replyId: string | null;
  agentId: string;
  agentVersion: string;
  shadow: boolean;
  rolloutId: string | null;
  channelType: string;
  latencyMs: number;
  provider: string | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number | null;
  error: string | null;
  fallback: boolean;
  /** The outbound policy's action on the reply (`allow` when nothing fired). */
  action: string;
  findings: string[];
  handoff: string | null;
  /** A shadow reply's text, kept for review (sent replies are in `messages`). */
  shadowText: string | null;
  createdAt: number;
}

/** Per conversation and serving version (a shadow candidate has its own row). */
export interface ConversationOutcome {
  conversationId: string;
  agentId: string;
  agentVersion: string;
  shadow: boolean;
  rolloutId: string | null;
  arm: "baseline" | "candidate" | null;
  /** The candidate's share of new conversations when this one was assigned. */
  share: number | null;
  channelType: string;
  turns: number;
  violations: number;
  violationTypes: string[];
  firstViolationAt: number | null;
  handoffReason: string | null;
  handedOffAt: number | null;
  errors: number;
  fallbacks: number;
  cost: number;
  csat: number | null;
  sentiment: number | null;
  repeatContact: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface OutcomeEventRecord {
  id: string;
  conversationId: string | null;
  agentId: string | null;
  agentVersion: string | null;
  /** `csat` (1-5), `thumbs` (1 up, 0 down) or an operator's own event name. */
  type: string;
  value: number | null;
  data: Record<string, unknown>;
  source: string;
  createdAt: number;
}

interface TurnRow {
  id: string;
  conversation_id: string;
  message_id: string;
  reply_id: string | null;
  agent_id: string;
  agent_version: string;
  shadow: number;
  rollout_id: string | null;
  channel_type: string;
  latency_ms: number;
  provider: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: number | null;
  error: string | null;
  fallback: number;
  action: string;
  findings: string;
  handoff: string | null;
  shadow_text: string | null;
  created_at: number;
}

interface OutcomeRow {
  conversation_id: string;
  agent_id: string;
  agent_version: string;
  shadow: number;
  rollout_id: string | null;
  arm: "baseline" | "candidate" | null;
  share: number | null;
  channel_type: string;
  turns: number;
  violations: number;
  violation_types: string;
  first_violation_at: number | null;
  handoff_reason: string | null;
  handed_off_at: number | null;
  errors: number;
  fallbacks: number;
  cost: number;
  csat: number | null;
  sentiment: number | null;
  repeat_contact: number;
  created_at: number;
  updated_at: number;
}

interface EventRow {
  id: string;
  conversation_id: string | null;
  agent_id: string | null;
  agent_version: string | null;
  type: string;
  value: number | null;
  data: string;
  source: string;
  created_at: number;
}

const toTurn = (r: TurnRow): AgentTurnRecord => ({
  id: r.id,
  conversationId: r.conversation_id,
  messageId: r.message_id,
  replyId: r.reply_id,
  agentId: r.agent_id,
  agentVersion: r.agent_version,
  shadow: Number(r.shadow) === 1,
  rolloutId: r.rollout_id,
  channelType: r.channel_type,
  latencyMs: Number(r.latency_ms),
  provider: r.provider,
  model: r.model,
  inputTokens: r.input_tokens === null ? null : Number(r.input_tokens),
  outputTokens: r.output_tokens === null ? null : Number(r.output_tokens),
  cost: r.cost === null ? null : Number(r.cost),
  error: r.error,
  fallback: Number(r.fallback) === 1,
  action: r.action,
  findings: JSON.parse(r.findings) as string[],
  handoff: r.handoff,
  shadowText: r.shadow_text,
  createdAt: r.created_at,
});

const toOutcome = (r: OutcomeRow): ConversationOutcome => ({
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  agentVersion: r.agent_version,
  shadow: Number(r.shadow) === 1,
  rolloutId: r.rollout_id,
  arm: r.arm,
  share: r.share === null ? null : Number(r.share),
  channelType: r.channel_type,
  turns: Number(r.turns),
  violations: Number(r.violations),
  violationTypes: JSON.parse(r.violation_types) as string[],
  firstViolationAt: r.first_violation_at,
  handoffReason: r.handoff_reason,
  handedOffAt: r.handed_off_at,
  errors: Number(r.errors),
  fallbacks: Number(r.fallbacks),
  cost: Number(r.cost),
  csat: r.csat === null ? null : Number(r.csat),
  sentiment: r.sentiment === null ? null : Number(r.sentiment),
  repeatContact: Number(r.repeat_contact) === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toEvent = (r: EventRow): OutcomeEventRecord => ({
  id: r.id,
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  agentVersion: r.agent_version,
  type: r.type,
  value: r.value === null ? null : Number(r.value),
  data: JSON.parse(r.data) as Record<string, unknown>,
  source: r.source,
  createdAt: r.created_at,
});

export interface OutcomeStart {
  conversationId: string;
  agentId: string;
  agentVersion: string;
  shadow: boolean;
  rolloutId: string | null;
  arm: "baseline" | "candidate" | null;
  share: number | null;
  channelType: string;
}

/** The facts of one conversation that outcome labels are decided from (epoch ms; null: never). */
export interface OutcomeFacts {
  state: ConversationState;
  resolution: Resolution | null;
  /** When it was last closed (while it is closed). */
  closedAt: number | null;
  /** Its first handoff to a person, by the bot or by a person taking over. */
  handedOffAt: number | null;
  lastCustomerAt: number | null;
  /** The bot's last reply that did not fail. */
  lastAgentAt: number | null;
  /** A person's last reply that did not fail. */
  lastHumanAt: number | null;
  /** The customer's latest rating: CSAT 1-5 or thumbs (1 up, 0 down). */
  feedback: { type: "csat" | "thumbs"; value: number; at: number } | null;
  /** When the same contact next started a conversation, after this one's last line. */
  returnedAt: number | null;
}

/** A conversation's outcome facts with the agent version that served it. */
export interface VersionOutcomeFacts extends OutcomeFacts {
  conversationId: string;
  agentVersion: string | null;
}

interface FactsRow {
  id: string;
  agent_version: string | null;
  state: ConversationState;
  resolution: Resolution | null;
  closed_at: number | string | null;
  handed_off_at: number | string | null;
  last_customer_at: number | string | null;
  last_agent_at: number | string | null;
  last_human_at: number | string | null;
  returned_at: number | string | null;
}

const instant = (v: number | string | null) => (v === null ? null : Number(v));

/**
 * Per conversation: correlated subqueries on indexed columns (messages and events by
 * conversation, conversations by contact), each bounded by that conversation's own lines.
 * `{{from}}` is the FROM clause that picks the conversations, aliased `c` (and `o`).
 */
const FACTS_SQL = `SELECT c.id, o.agent_version, c.state, c.resolution,
    CASE WHEN c.state = 'closed' THEN (SELECT MAX(e.created_at) FROM events e
      WHERE e.conversation_id = c.id AND e.type = 'conversation.closed') END AS closed_at,
    COALESCE(o.handed_off_at, (SELECT MIN(e.created_at) FROM events e
      WHERE e.conversation_id = c.id AND e.type = 'conversation.handoff')) AS handed_off_at,
    (SELECT MAX(m.created_at) FROM messages m
      WHERE m.conversation_id = c.id AND m.author = 'customer') AS last_customer_at,
    (SELECT MAX(m.created_at) FROM messages m
      WHERE m.conversation_id = c.id AND m.author = 'agent' AND m.status <> 'failed') AS last_agent_at,
    (SELECT MAX(m.created_at) FROM messages m
      WHERE m.conversation_id = c.id AND m.author = 'human' AND m.status <> 'failed') AS last_human_at,
    (SELECT MIN(n.created_at) FROM conversations n WHERE n.contact_id = c.contact_id
      AND n.id <> c.id AND n.created_at > c.last_message_at) AS returned_at
  FROM {{from}}`;

const toFacts = (r: FactsRow): VersionOutcomeFacts => ({
  conversationId: r.id,
  agentVersion: r.agent_version,
  state: r.state,
  resolution: r.resolution,
  closedAt: instant(r.closed_at),
  handedOffAt: instant(r.handed_off_at),
  lastCustomerAt: instant(r.last_customer_at),
  lastAgentAt: instant(r.last_agent_at),
  lastHumanAt: instant(r.last_human_at),
  feedback: null,
  returnedAt: instant(r.returned_at),
});

/** The latest CSAT or thumbs of each conversation, from its events oldest first. */
function withFeedback(facts: VersionOutcomeFacts[], events: EventRow[]): VersionOutcomeFacts[] {
  const latest = new Map<string, OutcomeFacts["feedback"]>();
  for (const e of events) {
    if (e.conversation_id === null || e.value === null) continue;
    const type = e.type as "csat" | "thumbs";
    latest.set(e.conversation_id, { type, value: Number(e.value), at: Number(e.created_at) });
  }
  return facts.map((f) => ({ ...f, feedback: latest.get(f.conversationId) ?? null }));
}

/** Inserts the turn, folds it into its outcome row and adds it to its rollout's evidence. */
async function recordTurn(
  db: Executor,
  turn: AgentTurnRecord,
  violationTypes: string[],
  sentiment: number | null,
): Promise<void> {
  await db.run(
    `INSERT INTO agent_turns (id, conversation_id, message_id, reply_id, agent_id,
       agent_version, shadow, rollout_id, channel_type, latency_ms, provider, model,
       input_tokens, output_tokens, cost, error, fallback, action, findings, handoff,
       shadow_text, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      turn.id,
      turn.conversationId,
      turn.messageId,
      turn.replyId,
      turn.agentId,
      turn.agentVersion,
      turn.shadow ? 1 : 0,
      turn.rolloutId,
      turn.channelType,
      Math.round(turn.latencyMs),
      turn.provider,
      turn.model,
      turn.inputTokens,
      turn.outputTokens,
      turn.cost,
      turn.error,
      turn.fallback ? 1 : 0,
      turn.action,
      JSON.stringify(turn.findings),
      turn.handoff,
      turn.shadowText,
      turn.createdAt,
    ],
  );
  const violated = violationTypes.length > 0;
  // The stored types are read only to merge new ones in: most turns have none.
  let types: string | null = null;
  if (violated) {
    const current = await db.get<{ violation_types: string }>(
      `SELECT violation_types FROM conversation_outcomes
       WHERE conversation_id = ? AND agent_version = ?`,
      [turn.conversationId, turn.agentVersion],
    );
    if (!current) return;
    const stored = JSON.parse(current.violation_types) as string[];
    types = JSON.stringify([...new Set([...stored, ...violationTypes])].sort());
  }
  // The row as updated tells the rollout evidence what the turn counts for.
  const unit = await db.get<EvidenceUnit>(
    `UPDATE conversation_outcomes SET turns = turns + 1, violations = violations + ?,
       violation_types = COALESCE(?, violation_types),
       first_violation_at = COALESCE(first_violation_at, ?),
       handoff_reason = COALESCE(handoff_reason, ?),
       handed_off_at = COALESCE(handed_off_at, ?),
       errors = errors + ?, fallbacks = fallbacks + ?, cost = cost + ?,
       sentiment = COALESCE(?, sentiment), updated_at = ?
     WHERE conversation_id = ? AND agent_version = ?
     RETURNING conversation_id, rollout_id, arm, share, shadow, created_at, turns`,
    [
      violated ? 1 : 0,
      types,
      violated ? turn.createdAt : null,
      turn.handoff,
      turn.handoff ? turn.createdAt : null,
      turn.error ? 1 : 0,
      turn.fallback ? 1 : 0,
      turn.cost ?? 0,
      sentiment,
      turn.createdAt,
      turn.conversationId,
      turn.agentVersion,
    ],
  );
  if (unit) await evidenceOnTurn(db, unit, turn, violationTypes);
}

/** Runs `fn` in one transaction: the caller's, or a new one on the store itself. */
export type Atomically = <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>;

/**
 * What happened per conversation and agent version: every turn (`agent_turns`), the
 * running outcome of the conversation (`conversation_outcomes`) and the feedback and
 * business events posted about it (`outcome_events`). Turns and events also add to their
 * rollout's evidence (rollout-evidence.ts), in the same transaction.
 */
export function outcomesRepository(db: Executor, atomically: Atomically = (fn) => fn(db)) {
  const getOutcome = async (conversationId: string, agentVersion: string) => {
    const row = await db.get<OutcomeRow>(
      "SELECT * FROM conversation_outcomes WHERE conversation_id = ? AND agent_version = ?",
      [conversationId, agentVersion],
    );
    return row && toOutcome(row);
  };

  return {
    getOutcome,

    /** Starts the outcome row of a conversation on a version (no-op when it exists). */
    async start(input: OutcomeStart, now: number): Promise<void> {
      await db.run(
        `INSERT INTO conversation_outcomes (conversation_id, agent_id, agent_version, shadow,
           rollout_id, arm, share, channel_type, turns, violations, violation_types,
           first_violation_at, handoff_reason, handed_off_at, errors, fallbacks, cost, csat,
           sentiment, repeat_contact, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, '[]', NULL, NULL, NULL, 0, 0, 0, NULL, NULL, 0, ?, ?)
         ON CONFLICT DO NOTHING`,
        [
          input.conversationId,
          input.agentId,
          input.agentVersion,
          input.shadow ? 1 : 0,
          input.rolloutId,
          input.arm,
          input.share,
          input.channelType,
          now,
          now,
        ],
      );
    },

    /**
     * Records a turn and folds it into its conversation's outcome row, with the customer's
     * sentiment so far when given.
     */
    async recordTurn(
      turn: AgentTurnRecord,
      violationTypes: string[],
      sentiment: number | null = null,
    ): Promise<void> {
      await atomically((tx) => recordTurn(tx, turn, violationTypes, sentiment));
    },

    /** The running outcome of every conversation served by the version it is on now. */
    async forConversation(conversationId: string): Promise<ConversationOutcome[]> {
      const rows = await db.all<OutcomeRow>(
        "SELECT * FROM conversation_outcomes WHERE conversation_id = ? ORDER BY created_at",
        [conversationId],
      );
      return rows.map(toOutcome);
    },

    async setHandoff(conversationId: string, reason: string, now: number): Promise<void> {
      await db.run(
        `UPDATE conversation_outcomes SET handoff_reason = COALESCE(handoff_reason, ?),
           handed_off_at = COALESCE(handed_off_at, ?), updated_at = ?
         WHERE conversation_id = ? AND shadow = 0`,
        [reason, now, now, conversationId],
      );
    },

    async setCsat(conversationId: string, csat: number, now: number): Promise<void> {
      await db.run(
        `UPDATE conversation_outcomes SET csat = ?, updated_at = ?
         WHERE conversation_id = ? AND shadow = 0`,
        [csat, now, conversationId],
      );
    },

    async markRepeatContact(contactId: string, since: number, except: string, now: number) {
      await db.run(
        `UPDATE conversation_outcomes SET repeat_contact = 1, updated_at = ?
         WHERE shadow = 0 AND repeat_contact = 0 AND conversation_id <> ? AND conversation_id IN
           (SELECT id FROM conversations WHERE contact_id = ? AND created_at >= ?)`,
        [now, except, contactId, since],
      );
    },

    /** Every outcome row of a rollout, both arms and shadow rows. */
    async forRollout(rolloutId: string): Promise<ConversationOutcome[]> {
      const rows = await db.all<OutcomeRow>(
        "SELECT * FROM conversation_outcomes WHERE rollout_id = ? ORDER BY created_at",
        [rolloutId],
      );
      return rows.map(toOutcome);
    },

    /** Every turn of a rollout's conversations, oldest first. */
    async turnsForRollout(rolloutId: string): Promise<AgentTurnRecord[]> {
      const rows = await db.all<TurnRow>(
        "SELECT * FROM agent_turns WHERE rollout_id = ? ORDER BY created_at, id",
        [rolloutId],
      );
      return rows.map(toTurn);
    },

    async turnsForConversation(conversationId: string): Promise<AgentTurnRecord[]> {
      const rows = await db.all<TurnRow>(
        "SELECT * FROM agent_turns WHERE conversation_id = ? ORDER BY created_at, id",
        [conversationId],
      );
      return rows.map(toTurn);
    },

    /** Stores the event and marks it on the rollouts its conversation takes part in. */
    async addEvent(event: OutcomeEventRecord): Promise<void> {
      await atomically(async (tx) => {
        await tx.run(
          `INSERT INTO outcome_events (id, conversation_id, agent_id, agent_version, type, value,
             data, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            event.id,
            event.conversationId,
            event.agentId,
            event.agentVersion,
            event.type,
            event.value,
            JSON.stringify(event.data),
            event.source,
            event.createdAt,
          ],
        );
        await evidenceOnEvent(tx, event);
      });
    },

    /** Feedback and business events on a rollout's conversations, oldest first. */
    async eventsForRollout(rolloutId: string): Promise<OutcomeEventRecord[]> {
      const rows = await db.all<EventRow>(
        `SELECT e.* FROM outcome_events e
         WHERE e.conversation_id IN
           (SELECT conversation_id FROM conversation_outcomes WHERE rollout_id = ? AND shadow = 0)
         ORDER BY e.created_at, e.id`,
        [rolloutId],
      );
      return rows.map(toEvent);
    },

    async eventsForConversation(conversationId: string): Promise<OutcomeEventRecord[]> {
      const rows = await db.all<EventRow>(
        "SELECT * FROM outcome_events WHERE conversation_id = ? ORDER BY created_at, id",
        [conversationId],
      );
      return rows.map(toEvent);
    },

    /** What a conversation's outcome label is decided from; undefined for an unknown id. */
    async factsOf(conversationId: string): Promise<VersionOutcomeFacts | undefined> {
      const row = await db.get<FactsRow>(
        FACTS_SQL.replace(
          "{{from}}",
          `conversations c LEFT JOIN conversation_outcomes o
             ON o.conversation_id = c.id AND o.agent_version = c.agent_version AND o.shadow = 0
           WHERE c.id = ?`,
        ),
        [conversationId],
      );
      if (!row) return undefined;
      const events = await db.all<EventRow>(
        `SELECT * FROM outcome_events WHERE conversation_id = ? AND type IN ('csat', 'thumbs')
         ORDER BY created_at, id`,
        [conversationId],
      );
      return withFeedback([toFacts(row)], events)[0];
    },

    /**
     * Outcome facts of an agent's conversations that started in [from, to], by the version
     * that served them (shadow rows excluded), at most `limit` of them, oldest first.
     */
    async factsForAgent(
      agentId: string,
      range: { from: number; to: number },
      limit: number,
    ): Promise<VersionOutcomeFacts[]> {
      const params = [agentId, range.from, range.to];
      const rows = await db.all<FactsRow>(
        `${FACTS_SQL.replace(
          "{{from}}",
          `conversation_outcomes o JOIN conversations c ON c.id = o.conversation_id
           WHERE o.shadow = 0 AND o.agent_id = ? AND o.created_at >= ? AND o.created_at <= ?`,
        )}
         ORDER BY o.created_at, o.conversation_id LIMIT ?`,
        [...params, limit],
      );
      if (rows.length === 0) return [];
      // Ratings are few: one pass over those of the same conversations.
      const events = await db.all<EventRow>(
        `SELECT e.* FROM outcome_events e JOIN conversation_outcomes o
           ON o.conversation_id = e.conversation_id
         WHERE o.shadow = 0 AND o.agent_id = ? AND o.created_at >= ? AND o.created_at <= ?
           AND e.type IN ('csat', 'thumbs')
         ORDER BY e.created_at, e.id`,
        params,
      );
      return withFeedback(rows.map(toFacts), events);
    },
  };
}

export type OutcomesRepository = ReturnType<typeof outcomesRepository>;
