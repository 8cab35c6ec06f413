/** The stored model every other module reads and writes through the repositories. */
export type ConversationState = "bot" | "human" | "closed";
export type Direction = "inbound" | "outbound";
export type Author = "customer" | "agent" | "human" | "system";
/** Inbound messages are `received`; outbound ones move queued → sent → delivered → read, or failed. */
export type MessageStatus = "received" | "queued" | "sent" | "delivered" | "read" | "failed";

export interface Contact {
  id: string;
  displayName: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Identity {
  id: string;
  contactId: string;
  channelType: string;
  address: string;
  /** E.164 number the channel vouches for (carrier sender id, WhatsApp account); linking keys on it. */
  phone: string | null;
  createdAt: number;
}

export interface Conversation {
  id: string;
  contactId: string;
  identityId: string;
  channelId: string;
  channelType: string;
  state: ConversationState;
  agentId: string | null;
  agentVersion: string | null;
  /** The operator (a principal name) answering it; null while nobody is assigned. */
  assignee: string | null;
  /** How a closed conversation ended; null while it is open. */
  resolution: Resolution | null;
  createdAt: number;
  updatedAt: number;
  lastMessageAt: number;
}

export type Resolution = "resolved" | "unresolved";

export interface Attachment {
  url: string;
  contentType?: string;
  name?: string;
  size?: number;
}

export interface Message {
  id: string;
  conversationId: string;
  channelId: string;
  direction: Direction;
  author: Author;
  text: string;
  attachments: Attachment[];
  providerMessageId: string | null;
  status: MessageStatus;
  error: string | null;
  agentId: string | null;
  agentVersion: string | null;
  meta: Record<string, unknown>;
  createdAt: number;
  queuedAt: number | null;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
}

export interface ConversationEvent {
  seq: number;
  conversationId: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: number;
}

/** Two contacts made one; what moved is kept so the merge can be undone exactly. */
export interface ContactMerge {
  id: string;
  targetContactId: string;
  sourceContactId: string;
  identityIds: string[];
  conversationIds: string[];
  reason: string;
  createdAt: number;
  undoneAt: number | null;
}

export type ConsentState = "opted_out" | "opted_in";
