import type { Job } from "../jobs/index.ts";
import type {
  ConsentEntry,
  Contact,
  ContactMerge,
  Conversation,
  ConversationEvent,
  Identity,
  Message,
} from "../store/index.ts";

/** Epoch milliseconds as the API writes every timestamp (ISO-8601, UTC); null stays null. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The API's JSON shapes: camelCase, ISO-8601 timestamps. */
export function conversationView(c: Conversation) {
  return {
    id: c.id,
    contactId: c.contactId,
    channelId: c.channelId,
    channelType: c.channelType,
    state: c.state,
    agent: c.agentId ? { id: c.agentId, version: c.agentVersion } : null,
    assignee: c.assignee,
    resolution: c.resolution,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    lastMessageAt: iso(c.lastMessageAt),
  };
}

export function messageView(m: Message) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    channelId: m.channelId,
    direction: m.direction,
    author: m.author,
    text: m.text,
    attachments: m.attachments,
    providerMessageId: m.providerMessageId,
    status: m.status,
    error: m.error,
    agent: m.agentId ? { id: m.agentId, version: m.agentVersion } : null,
    meta: m.meta,
    /** The key channels pass to vendors so a re-send is recognised. */
    idempotencyKey: m.direction === "outbound" ? m.id : null,
    createdAt: iso(m.createdAt),
    queuedAt: iso(m.queuedAt),
    sentAt: iso(m.sentAt),
    deliveredAt: iso(m.deliveredAt),
    readAt: iso(m.readAt),
    failedAt: iso(m.failedAt),
  };
}

export function eventView(e: ConversationEvent) {
  return { seq: e.seq, type: e.type, data: e.data, createdAt: iso(e.createdAt) };
}

export function deadJobView(j: Job) {
  return {
    id: j.id,
    kind: j.kind,
    payload: j.payload,
    queueKey: j.queueKey,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    lastError: j.lastError,
    createdAt: iso(j.createdAt),
    deadAt: iso(j.updatedAt),
  };
}

export function contactView(c: Contact) {
  return {
    id: c.id,
    displayName: c.displayName,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function identityView(i: Identity) {
  return {
    id: i.id,
    channelType: i.channelType,
    address: i.address,
    phone: i.phone,
    createdAt: iso(i.createdAt),
  };
}

export function consentEntryView(e: ConsentEntry) {
  return {
    seq: e.seq,
    contactId: e.contactId,
    purpose: e.purpose,
    scope: e.scope,
    channelId: e.channelId,
    address: e.address,
    identityId: e.identityId,
    state: e.state,
    evidence: e.evidence,
    mergeId: e.mergeId,
    createdAt: iso(e.createdAt),
  };
}

export function contactMergeView(m: ContactMerge) {
  return {
    id: m.id,
    targetContactId: m.targetContactId,
    sourceContactId: m.sourceContactId,
    identityIds: m.identityIds,
    conversationIds: m.conversationIds,
    reason: m.reason,
    createdAt: iso(m.createdAt),
    undoneAt: iso(m.undoneAt),
  };
}
