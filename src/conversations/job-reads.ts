import type { Job } from "../jobs/index.ts";
import type { Conversation, Identity, Message, Store } from "../store/index.ts";

/**
 * The rows a job reads, each read once per job run: the gates around a handler (consent,
 * delivery rules, the kill switch) and the handler itself ask for the same message,
 * conversation and identity. Reads only, outside any transaction; what a transaction
 * decides on it reads again itself. A retried job is a new claim, so it reads afresh.
 */
export interface JobReads {
  message(id: string): Promise<Message | undefined>;
  conversation(id: string): Promise<Conversation | undefined>;
  identity(id: string): Promise<Identity | undefined>;
  /** The conversation's newest `limit` messages, oldest first. */
  recent(conversationId: string, limit: number): Promise<Message[]>;
  /** The conversation's newest inbound message (what a reply answers). */
  latestInbound(conversationId: string): Promise<Message | undefined>;
}

const readsOf = new WeakMap<Job, JobReads>();

export function jobReads(job: Job, store: Store): JobReads {
  let reads = readsOf.get(job);
  if (!reads) {
    reads = cachedReads(store);
    readsOf.set(job, reads);
  }
  return reads;
}

function cachedReads(store: Store): JobReads {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let found = cache.get(key) as Promise<T> | undefined;
    if (!found) {
      found = read();
      cache.set(key, found);
      // A failed read is not kept: the next caller tries again.
      found.catch(() => cache.delete(key));
    }
    return found;
  };
  return {
    message: (id) => once(`m:${id}`, () => store.messages.get(id)),
    conversation: (id) => once(`c:${id}`, () => store.conversations.get(id)),
    identity: (id) => once(`i:${id}`, () => store.contacts.getIdentity(id)),
    recent: (conversationId, limit) =>
      once(`r:${conversationId}:${limit}`, () => store.messages.recent(conversationId, limit)),
    latestInbound: (conversationId) =>
      once(`l:${conversationId}`, () => store.messages.latestInbound(conversationId)),
  };
}
