import { newId } from "../../shared/ids.ts";
import type { Executor } from "../database.ts";
import type { FieldCodec } from "../encryption/index.ts";
import type { Conversation, ConversationState, Resolution } from "../model.ts";
import { SqlFilter } from "../sql-filter.ts";
import { searchConversations } from "./conversation-search.ts";

interface ConversationRow {
  id: string;
  contact_id: string;
  identity_id: string;
  channel_id: string;
  channel_type: string;
  state: ConversationState;
  agent_id: string | null;
  agent_version: string | null;
  assignee: string | null;
  resolution: Resolution | null;
  created_at: number;
  updated_at: number;
  last_message_at: number;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  contactId: r.contact_id,
  identityId: r.identity_id,
  channelId: r.channel_id,
  channelType: r.channel_type,
  state: r.state,
  agentId: r.agent_id,
  agentVersion: r.agent_version,
  assignee: r.assignee,
  resolution: r.resolution,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastMessageAt: r.last_message_at,
});

export interface ConversationFilter {
  state?: ConversationState;
  channelId?: string;
  contactId?: string;
  /** The operator it is assigned to; null: nobody. */
  assignee?: string | null;
  /** Conversations carrying this label. */
  label?: string;
  /** Return conversations created before this id (newest first). */
  before?: string;
  /**
   * Text in a message, the contact's name or the customer's address (case-insensitive
   * substring of at least three characters), or the whole conversation id.
   */
  search?: string;
  limit: number;
}

/** What a list of conversations shows besides the conversation itself. */
export interface ConversationSummary {
  lastMessage: { text: string; direction: string; author: string } | null;
  /** Guardrail decisions with findings on the conversation's messages. */
  findings: number;
  contact: { id: string; displayName: string | null } | null;
  /** What the channel knows of the customer's address, for a readable name. */
  identity: { address: string; phone: string | null } | null;
  labels: string[];
}

export interface NewConversation {
  /** Chosen by the caller when something (the canary assignment) hashes it first. */
  id?: string;
  contactId: string;
  identityId: string;
  channelId: string;
  channelType: string;
  agentId: string | null;
  agentVersion: string | null;
}

export function conversationsRepository(db: Executor, fields: FieldCodec) {
  return {
    async get(id: string): Promise<Conversation | undefined> {
      const row = await db.get<ConversationRow>("SELECT * FROM conversations WHERE id = ?", [id]);
      return row && toConversation(row);
    },

    /** The newest conversation of this identity on this channel that is not closed. */
    async findOpen(identityId: string, channelId: string): Promise<Conversation | undefined> {
      const row = await db.get<ConversationRow>(
        `SELECT * FROM conversations WHERE identity_id = ? AND channel_id = ? AND state <> 'closed'
         ORDER BY id DESC LIMIT 1`,
        [identityId, channelId],
      );
      return row && toConversation(row);
    },

    async create(input: NewConversation, now: number): Promise<Conversation> {
      const { id, ...fields } = input;
      const conversation: Conversation = {
        id: id ?? newId("conv", now),
        ...fields,
        state: "bot",
        assignee: null,
        resolution: null,
        createdAt: now,
        updatedAt: now,
        lastMessageAt: now,
      };
      await db.run(
        `INSERT INTO conversations (id, contact_id, identity_id, channel_id, channel_type, state,
           agent_id, agent_version, created_at, updated_at, last_message_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          conversation.id,
          input.contactId,
          input.identityId,
          input.channelId,
          input.channelType,
          conversation.state,
          input.agentId,
          input.agentVersion,
          now,
          now,
          now,
        ],
      );
      return conversation;
    },

    async list(filter: ConversationFilter): Promise<Conversation[]> {
      const filtered = (before = filter.before) => {
        const sql = new SqlFilter()
          .addIf("state = ?", filter.state)
          .addIf("channel_id = ?", filter.channelId)
          .addIf("contact_id = ?", filter.contactId)
          .addIf("assignee = ?", filter.assignee ?? undefined)
          .addIf(
            "id IN (SELECT conversation_id FROM conversation_labels WHERE label = ?)",
            filter.label,
          )
          .addIf("id < ?", before);
        return filter.assignee === null ? sql.add("assignee IS NULL") : sql;
      };
      const where = filtered();
      const rows = filter.search
        ? await searchConversations<ConversationRow>(
            db,
            fields,
            filtered,
            filter.search,
            filter.limit,
          )
        : await db.all<ConversationRow>(
            `SELECT * FROM conversations ${where.where} ORDER BY id DESC LIMIT ?`,
            [...where.params, filter.limit],
          );
      return rows.map(toConversation);
    },

    /** Last message, findings count and contact of each conversation, for a list view. */
    async summaries(conversations: Conversation[]): Promise<Map<string, ConversationSummary>> {
      const out = new Map<string, ConversationSummary>();
      if (conversations.length === 0) return out;
      const ids = conversations.map((c) => c.id);
      const marks = ids.map(() => "?").join(", ");
      const contactIds = [...new Set(conversations.map((c) => c.contactId))];
      const identityIds = [...new Set(conversations.map((c) => c.identityId))];
      const [last, findings, contacts, identities, labels] = await Promise.all([
        db.all<{
          id: string;
          conversation_id: string;
          text: string;
          direction: string;
          author: string;
        }>(
          `SELECT m.id, m.conversation_id, m.text, m.direction, m.author FROM messages m
           WHERE m.conversation_id IN (${marks})
             AND m.id = (SELECT MAX(id) FROM messages WHERE conversation_id = m.conversation_id)`,
          ids,
        ),
        db.all<{ conversation_id: string; n: number }>(
          `SELECT conversation_id, COUNT(*) AS n FROM events
           WHERE conversation_id IN (${marks}) AND type = 'guardrail.decision'
           GROUP BY conversation_id`,
          ids,
        ),
        db.all<{ id: string; display_name: string | null }>(
          `SELECT id, display_name FROM contacts WHERE id IN (${contactIds.map(() => "?").join(", ")})`,
          contactIds,
        ),
        db.all<{ id: string; address: string; phone: string | null }>(
          `SELECT id, address, phone FROM identities WHERE id IN (${identityIds.map(() => "?").join(", ")})`,
          identityIds,
        ),
        db.all<{ conversation_id: string; label: string }>(
          `SELECT conversation_id, label FROM conversation_labels WHERE conversation_id IN (${marks})
           ORDER BY label`,
          ids,
        ),
      ]);
      for (const c of conversations) {
        const message = last.find((m) => m.conversation_id === c.id);
        const contact = contacts.find((k) => k.id === c.contactId);
        const identity = identities.find((i) => i.id === c.identityId);
        out.set(c.id, {
          lastMessage: message
            ? {
                text: fields.open("messages.text", message.id, message.text),
                direction: message.direction,
                author: message.author,
              }
            : null,
          findings: Number(findings.find((f) => f.conversation_id === c.id)?.n ?? 0),
          contact: contact ? { id: contact.id, displayName: contact.display_name } : null,
          identity: identity
            ? {
                address: fields.open("identities.address", identity.id, identity.address),
                phone:
                  identity.phone === null
                    ? null
                    : fields.open("identities.phone", identity.id, identity.phone),
              }
            : null,
          labels: labels.filter((l) => l.conversation_id === c.id).map((l) => l.label),
        });
      }
      return out;
    },

    async setState(id: string, state: ConversationState, now: number): Promise<void> {
      await db.run("UPDATE conversations SET state = ?, updated_at = ? WHERE id = ?", [
        state,
        now,
        id,
      ]);
    },

    /** Give it to `assignee` (null: nobody); returns who had it, or undefined when unknown. */
    async assign(
      id: string,
      assignee: string | null,
      now: number,
    ): Promise<{ previous: string | null } | undefined> {
      const row = await db.get<{ assignee: string | null }>(
        "SELECT assignee FROM conversations WHERE id = ?",
        [id],
      );
      if (!row) return undefined;
      await db.run("UPDATE conversations SET assignee = ?, updated_at = ? WHERE id = ?", [
        assignee,
        now,
        id,
      ]);
      return { previous: row.assignee };
    },

    /** End it: state `closed` with how it ended. */
    async close(id: string, resolution: Resolution, now: number): Promise<void> {
      await db.run(
        "UPDATE conversations SET state = 'closed', resolution = ?, updated_at = ? WHERE id = ?",
        [resolution, now, id],
      );
    },

    /** Open a closed one again in `state`; its resolution no longer holds. */
    async reopen(id: string, state: Exclude<ConversationState, "closed">, now: number) {
      await db.run(
        "UPDATE conversations SET state = ?, resolution = NULL, updated_at = ? WHERE id = ?",
        [state, now, id],
      );
    },

    /**
     * Touch it only while it is in `state`, returning it as it is then: a check of the state
     * and the touch of a new message in one statement (the agent's reply re-checks that the
     * bot still owns the conversation this way).
     */
    async touchIn(
      id: string,
      state: ConversationState,
      now: number,
    ): Promise<Conversation | undefined> {
      const row = await db.get<ConversationRow>(
        `UPDATE conversations SET updated_at = ?, last_message_at = ? WHERE id = ? AND state = ?
         RETURNING *`,
        [now, now, id, state],
      );
      return row && toConversation(row);
    },

    async touch(id: string, now: number): Promise<void> {
      await db.run("UPDATE conversations SET updated_at = ?, last_message_at = ? WHERE id = ?", [
        now,
        now,
        id,
      ]);
    },
  };
}

export type ConversationsRepository = ReturnType<typeof conversationsRepository>;
