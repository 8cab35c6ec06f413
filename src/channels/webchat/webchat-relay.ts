import type { Logger } from "pino";
import type { Clock } from "../../shared/clock.ts";
import type { Message, Store } from "../../store/index.ts";
import type { LiveReplies } from "../channel.ts";
import type { ChatMessageView, ChatSocket, ServerFrame } from "./webchat-channel.ts";

/** The NOTIFY channel a delivered web-chat reply is announced on; the payload is its id. */
export const WEBCHAT_CHANNEL = "mainstay_webchat";

/** Replies pushed again at most per session on a reconnect or a catch-up. */
const PENDING_LIMIT = 200;

export function chatView(m: Message): ChatMessageView {
  const name = m.meta["agentName"];
  const notice = m.meta["notice"];
  return {
    id: m.id,
    direction: m.direction,
    text: m.text,
    createdAt: m.createdAt,
    author: m.author,
    // Only what people in the inbox wrote carries a name; the bot's and Mainstay's do not.
    ...(typeof name === "string" && (m.author === "human" || m.author === "system") && { name }),
    ...(typeof notice === "string" && m.author === "system" && { notice }),
  };
}

/**
 * Web-chat replies reach the customer's sockets on whichever instance holds them. The
 * instance that delivers a reply announces its id (PostgreSQL NOTIFY; in-process on the
 * embedded database, which has one process); every instance reads the row and pushes it to
 * its own sockets of that session. A reply stays `sent` until a socket acknowledges it
 * (`delivered`); until then it is pushed again on every connect of the session and after
 * the LISTEN connection comes back (the empty payload: notifications may have been missed).
 */
export class WebchatRelay implements LiveReplies {
  /** Open sockets here, by channel id, then session. */
  private readonly sockets = new Map<string, Map<string, Set<ChatSocket>>>();
  /** Notifications handled one after another, so replies are pushed in the order announced. */
  private handled: Promise<void> = Promise.resolve();

  constructor(private readonly options: { store: Store; clock: Clock; logger: Logger }) {}

  /** Subscribe to the announcements of every instance. */
  start(): Promise<void> {
    return this.options.store.listen(WEBCHAT_CHANNEL, (payload) => {
      this.handled = this.handled
        .then(() => (payload === "" ? this.catchUp() : this.pushReply(payload)))
        // The reply stays `sent` and is pushed again on the session's next connect.
        .catch((err) => this.options.logger.error({ err, payload }, "web chat push failed"));
    });
  }

  async announce(messageId: string): Promise<void> {
    const { store } = this.options;
    if (store.dialect === "postgres") {
      await store.db.get("SELECT pg_notify(?, ?)", [WEBCHAT_CHANNEL, messageId]);
    } else {
      await this.pushReply(messageId);
    }
  }

  /** Register an open socket of a session; returns the function that removes it. */
  attach(channelId: string, session: string, socket: ChatSocket): () => void {
    let sessions = this.sockets.get(channelId);
    if (!sessions) {
      sessions = new Map();
      this.sockets.set(channelId, sessions);
    }
    let set = sessions.get(session);
    if (!set) {
      set = new Set();
      sessions.set(session, set);
    }
    set.add(socket);
    return () => {
      set.delete(socket);
      if (set.size > 0) return;
      sessions.delete(session);
      if (sessions.size === 0) this.sockets.delete(channelId);
    };
  }

  /** Push the replies of a session's conversation no socket acknowledged to its sockets here. */
  async pushPending(channelId: string, session: string, conversationId: string): Promise<void> {
    const { messages } = this.options.store;
    const pending = await messages.outboundWithStatus(conversationId, "sent", PENDING_LIMIT);
    for (const message of pending) this.push(channelId, session, message);
  }

  /**
   * A socket of `session` received reply `messageId`: it becomes `delivered`. False when
   * the id is not a reply of this session on this channel (nothing changes then).
   */
  async acknowledge(channelId: string, session: string, messageId: string): Promise<boolean> {
    const { store, clock } = this.options;
    const message = await store.messages.get(messageId);
    if (message?.direction !== "outbound" || message.channelId !== channelId) return false;
    if ((await this.addressOf(message)) !== session) return false;
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (await tx.messages.advanceStatus(messageId, "delivered", now)) {
        await tx.events.append(message.conversationId, "message.delivered", { messageId }, now);
      }
    });
    return true;
  }

  private async pushReply(messageId: string): Promise<void> {
    const message = await this.options.store.messages.get(messageId);
    // Unknown here (another schema on the same database), or already acknowledged.
    if (message?.direction !== "outbound") return;
    if (message.status !== "queued" && message.status !== "sent") return;
    if (!this.sockets.has(message.channelId)) return;
    const session = await this.addressOf(message);
    if (session !== undefined) this.push(message.channelId, session, message);
  }

  private async catchUp(): Promise<void> {
    const open = [...this.sockets].flatMap(([channelId, sessions]) =>
      [...sessions.keys()].map((session) => [channelId, session] as const),
    );
    for (const [channelId, session] of open) {
      const conversation = await this.openConversation(channelId, session);
      if (conversation) await this.pushPending(channelId, session, conversation.id);
    }
  }

  private push(channelId: string, session: string, message: Message): void {
    const frame: ServerFrame = { type: "message", message: chatView(message) };
    const data = JSON.stringify(frame);
    for (const socket of this.sockets.get(channelId)?.get(session) ?? []) socket.send(data);
  }

  private async addressOf(message: Message): Promise<string | undefined> {
    const { store } = this.options;
    const conversation = await store.conversations.get(message.conversationId);
    const identity = conversation && (await store.contacts.getIdentity(conversation.identityId));
    return identity?.address;
  }

  private async openConversation(channelId: string, session: string) {
    const { store } = this.options;
    const identity = await store.contacts.findIdentity("webchat", session);
    return identity && store.conversations.findOpen(identity.id, channelId);
  }
}
