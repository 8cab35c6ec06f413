import type { Executor } from "../database.ts";
import type { FieldCodec } from "../encryption/index.ts";
import type { Attachment, Author, Direction, Message, MessageStatus } from "../model.ts";

interface MessageRow {
  id: string;
  conversation_id: string;
  channel_id: string;
  direction: Direction;
  author: Author;
  text: string;
  attachments: string;
  provider_message_id: string | null;
  status: MessageStatus;
  error: string | null;
  agent_id: string | null;
  agent_version: string | null;
  meta: string;
  created_at: number;
  queued_at: number | null;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failed_at: number | null;
}

/** A stored row as a message, its text opened (encryption at rest, store/encryption/). */
const messageFrom =
  (fields: FieldCodec) =>
  (r: MessageRow): Message => ({
    id: r.id,
    conversationId: r.conversation_id,
    channelId: r.channel_id,
    direction: r.direction,
    author: r.author,
    text: fields.open("messages.text", r.id, r.text),
    attachments: JSON.parse(r.attachments) as Attachment[],
    providerMessageId: r.provider_message_id,
    status: r.status,
    error: r.error,
    agentId: r.agent_id,
    agentVersion: r.agent_version,
    meta: JSON.parse(r.meta) as Record<string, unknown>,
    createdAt: r.created_at,
    queuedAt: r.queued_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    readAt: r.read_at,
    failedAt: r.failed_at,
  });

export type NewMessage = Pick<
  Message,
  "id" | "conversationId" | "channelId" | "direction" | "author" | "text" | "status"
> &
  Partial<Pick<Message, "attachments" | "providerMessageId" | "agentId" | "agentVersion" | "meta">>;

/** Timestamp column set when a message reaches each status. */
const STATUS_COLUMN: Partial<Record<MessageStatus, string>> = {
  sent: "sent_at",
  delivered: "delivered_at",
  read: "read_at",
  failed: "failed_at",
};

/** Statuses only move forward; a late `sent` callback never undoes `delivered`. */
const RANK: Record<MessageStatus, number> = {
  received: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
};

export function messagesRepository(db: Executor, fields: FieldCodec) {
  const toMessage = messageFrom(fields);
  return {
    /**
     * Insert a message and return it as stored, so no read follows the write. Returns
     * undefined, inserting nothing, when an inbound message with the same (channel, provider
     * message id) is already stored: that is the inbound dedupe.
     */
    async insert(m: NewMessage, now: number): Promise<Message | undefined> {
      const row = await db.get<MessageRow>(
        `INSERT INTO messages (id, conversation_id, channel_id, direction, author, text,
           attachments, provider_message_id, status, agent_id, agent_version, meta, created_at,
           queued_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
        [
          m.id,
          m.conversationId,
          m.channelId,
          m.direction,
          m.author,
          fields.seal("messages.text", m.id, m.text),
          JSON.stringify(m.attachments ?? []),
          m.providerMessageId ?? null,
          m.status,
          m.agentId ?? null,
          m.agentVersion ?? null,
          JSON.stringify(m.meta ?? {}),
          now,
          m.status === "queued" ? now : null,
        ],
      );
      if (!row) return undefined;
      await fields.indexForSearch(db, "messages", m.id, m.conversationId, m.text);
      return toMessage(row);
    },

    async get(id: string): Promise<Message | undefined> {
      const row = await db.get<MessageRow>("SELECT * FROM messages WHERE id = ?", [id]);
      return row && toMessage(row);
    },

    async findInbound(channelId: string, providerMessageId: string): Promise<Message | undefined> {
      const row = await db.get<MessageRow>(
        `SELECT * FROM messages WHERE channel_id = ? AND provider_message_id = ?
         AND direction = 'inbound'`,
        [channelId, providerMessageId],
      );
      return row && toMessage(row);
    },

    async findOutboundByProviderId(
      channelId: string,
      providerMessageId: string,
    ): Promise<Message | undefined> {
      const row = await db.get<MessageRow>(
        `SELECT * FROM messages WHERE channel_id = ? AND provider_message_id = ?
         AND direction = 'outbound'`,
        [channelId, providerMessageId],
      );
      return row && toMessage(row);
    },

    /** Messages of a conversation, oldest first, after the given message id. */
    async list(conversationId: string, after: string | undefined, limit: number) {
      const rows = await db.all<MessageRow>(
        `SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?`,
        [conversationId, after ?? "", limit],
      );
      return rows.map(toMessage);
    },

    /** The customer's latest message in a conversation. */
    async latestInbound(conversationId: string): Promise<Message | undefined> {
      const row = await db.get<MessageRow>(
        `SELECT * FROM messages WHERE conversation_id = ? AND direction = 'inbound'
         ORDER BY id DESC LIMIT 1`,
        [conversationId],
      );
      return row && toMessage(row);
    },

    /** The last `limit` messages of a conversation, oldest first (agent context). */
    async recent(conversationId: string, limit: number): Promise<Message[]> {
      const rows = await db.all<MessageRow>(
        "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?",
        [conversationId, limit],
      );
      return rows.map(toMessage).reverse();
    },

    /** Outbound messages of a conversation at `status`, oldest first (replies to push again). */
    async outboundWithStatus(conversationId: string, status: MessageStatus, limit: number) {
      const rows = await db.all<MessageRow>(
        `SELECT * FROM messages WHERE conversation_id = ? AND direction = 'outbound'
         AND status = ? ORDER BY id LIMIT ?`,
        [conversationId, status, limit],
      );
      return rows.map(toMessage);
    },

    /**
     * The last `limit` messages of a contact over all its conversations (every channel),
     * oldest first, optionally only those before a message id (agent context).
     */
    async recentForContact(contactId: string, limit: number, before?: string): Promise<Message[]> {
      const rows = await db.all<MessageRow>(
        `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.contact_id = ? ${before === undefined ? "" : "AND m.id < ?"}
         ORDER BY m.id DESC LIMIT ?`,
        before === undefined ? [contactId, limit] : [contactId, before, limit],
      );
      return rows.map(toMessage).reverse();
    },

    /**
     * Move an outbound message to a later status, stamping its time. Returns false when the
     * message is already at or past that status.
     */
    async advanceStatus(
      id: string,
      status: MessageStatus,
      now: number,
      extra: { providerMessageId?: string; error?: string } = {},
    ): Promise<boolean> {
      const column = STATUS_COLUMN[status];
      const lower = Object.entries(RANK)
        .filter(([, rank]) => rank < RANK[status])
        .map(([s]) => `'${s}'`)
        .join(", ");
      const result = await db.run(
        `UPDATE messages SET status = ?, ${column ? `${column} = ?, ` : ""}
           provider_message_id = COALESCE(?, provider_message_id), error = COALESCE(?, error)
         WHERE id = ? AND status IN (${lower})`,
        [
          status,
          ...(column ? [now] : []),
          extra.providerMessageId ?? null,
          extra.error ?? null,
          id,
        ],
      );
      return result.changes === 1;
    },
  };
}

export type MessagesRepository = ReturnType<typeof messagesRepository>;
