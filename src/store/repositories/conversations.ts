import { newId } from "../../shared/ids.ts";
import type { Executor, SqlValue } from "../database.ts";
import type { Conversation, ConversationState } from "../model.ts";

interface ConversationRow {
  id: string;
  contact_id: string;
  identity_id: string;
  channel_id: string;
  channel_type: string;
  state: ConversationState;
  agent_id: string | null;
  agent_version: string | null;
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
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastMessageAt: r.last_message_at,
});

export interface ConversationFilter {
  state?: ConversationState;
  channelId?: string;
  contactId?: string;
  /** Return conversations created before this id (newest first). */
  before?: string;
  limit: number;
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

export function conversationsRepository(db: Executor) {
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
      const where: string[] = [];
      const params: SqlValue[] = [];
      const add = (sql: string, value: SqlValue | undefined) => {
        if (value === undefined) return;
        where.push(sql);
        params.push(value);
      };
      add("state = ?", filter.state);
      add("channel_id = ?", filter.channelId);
      add("contact_id = ?", filter.contactId);
      add("id < ?", filter.before);
      params.push(filter.limit);
      const rows = await db.all<ConversationRow>(
        `SELECT * FROM conversations ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY id DESC LIMIT ?`,
        params,
      );
      return rows.map(toConversation);
    },

    async setState(id: string, state: ConversationState, now: number): Promise<void> {
      await db.run("UPDATE conversations SET state = ?, updated_at = ? WHERE id = ?", [
        state,
        now,
        id,
      ]);
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
