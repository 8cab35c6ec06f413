import {
  ConversationEventFeed,
  ConversationEvents,
  observeConversationEvents,
} from "../conversations/index.ts";
import { openStore, type Store } from "../store/index.ts";
import type { Foundation } from "./foundation.ts";
import type { Started } from "./started-parts.ts";

export interface Storage {
  store: Store;
  /** Every committed conversation event, for the console's live stream. */
  conversationEvents: ConversationEvents;
}

/**
 * The database, and the feed of its conversation events: this process's on SQLite, every
 * instance's on PostgreSQL.
 */
export async function startStorage({
  storeOptions,
  clock,
  logger,
}: Foundation): Promise<Started<Storage>> {
  const conversationEvents = new ConversationEvents();
  const store = observeConversationEvents(
    await openStore(storeOptions, clock.now(), logger.child({ module: "store" })),
    conversationEvents,
  );
  const feed = new ConversationEventFeed(
    store,
    conversationEvents,
    logger.child({ module: "conversations" }),
  );
  const close = async () => {
    await feed.stop();
    await store.close();
  };
  try {
    await feed.start();
  } catch (e) {
    await close();
    throw e;
  }
  return { provides: { store, conversationEvents }, close };
}
