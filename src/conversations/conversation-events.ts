import type { Repositories, Store } from "../store/index.ts";

/** What changed in a conversation, as live listeners (the console's stream) hear it. */
export interface ConversationChange {
  conversationId: string;
  /** The event type recorded (`message.received`, `conversation.handoff`, ...). */
  type: string;
  /** The state the event moved the conversation to, when it moved it. */
  state?: "bot" | "human";
  messageId?: string;
}

export type ConversationListener = (change: ConversationChange) => void;

/** The state each event type leaves a conversation in (docs/api.md, event types). */
const STATE_AFTER: Record<string, ConversationChange["state"]> = {
  "conversation.handoff": "human",
  "conversation.handback": "bot",
};

/**
 * Fan-out of conversation changes to in-process listeners. On SQLite the store tells it
 * of this process's commits (`observeConversationEvents`); on PostgreSQL the
 * `ConversationEventFeed` tells it of every instance's.
 */
export class ConversationEvents {
  private readonly listeners = new Set<ConversationListener>();

  subscribe(listener: ConversationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  publish(change: ConversationChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

export function changeOf(
  conversationId: string,
  type: string,
  data: Record<string, unknown>,
): ConversationChange {
  const state = STATE_AFTER[type];
  const messageId = typeof data["messageId"] === "string" ? data["messageId"] : undefined;
  return {
    conversationId,
    type,
    ...(state && { state }),
    ...(messageId && { messageId }),
  };
}

function observedEvents(
  events: Repositories["events"],
  onAppend: (change: ConversationChange) => void,
): Repositories["events"] {
  return {
    ...events,
    async append(conversationId, type, data, now) {
      await events.append(conversationId, type, data, now);
      onAppend(changeOf(conversationId, type, data));
    },
  };
}

/**
 * The store, telling `hub` of every conversation event once it is committed: every change
 * of a conversation appends an event, whichever module makes it, so watching the event log
 * misses none; a rolled-back transaction tells nothing. On PostgreSQL the event log
 * notifies every instance, whose `ConversationEventFeed` tells its hub, so the store is
 * left as it is.
 */
export function observeConversationEvents(store: Store, hub: ConversationEvents): Store {
  if (store.dialect === "postgres") return store;
  return {
    ...store,
    events: observedEvents(store.events, (change) => hub.publish(change)),
    async transaction(fn) {
      let pending: ConversationChange[] = [];
      const result = await store.transaction((tx) => {
        pending = []; // a transaction run again starts over
        return fn({ ...tx, events: observedEvents(tx.events, (change) => pending.push(change)) });
      });
      for (const change of pending) hub.publish(change);
      return result;
    },
  };
}
