import type { JobQueue, JobSpec } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { MainstayError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { rateLimitedError } from "../shared/rate-limited.ts";
import { storableFields } from "../shared/storable-text.ts";
import {
  type Author,
  type Conversation,
  type Identity,
  type Message,
  type Repositories,
  type Store,
  toE164,
} from "../store/index.ts";
import { recordDecision } from "./record-decision.ts";
import { senderCountry } from "./sender-country.ts";
import {
  type AcceptedMessage,
  type AdmitMessage,
  type AssignAgent,
  type ChannelRef,
  conversationQueueKeys,
  DELIVER_JOB,
  HANDOFF_NOTIFY_JOB,
  type InboundMessage,
  PROCESS_JOB,
  type PreparedInbound,
  REPEAT_CONTACT_WINDOW_MS,
  type ScreenAllTiers,
  type SenderRefused,
  type StatusUpdate,
  screeningRecord,
} from "./types.ts";

export interface ConversationServiceOptions {
  store: Store;
  queue: JobQueue;
  clock: Clock;
  /** Chooses the agent version new conversations start on (it may change while running). */
  currentAgent: () => Promise<AssignAgent>;
  /** Attempts before a job is dead-lettered. */
  maxAttempts: number;
  /** Called after a transaction that enqueued jobs commits, to wake the local worker. */
  onEnqueued?: () => void;
  /** The inbound guardrail policy; it runs before the message is stored. */
  screen?: ScreenAllTiers;
  /** Whether a handoff also queues a notification to the team (a webhook is configured). */
  notifyHandoffs?: boolean;
  /** Told of every handoff as it is recorded (metrics count them by reason). */
  onHandoff?: (reason: string) => void;
  /** Message limits per sender and contact (limits/); absent, every message is answered. */
  admit?: AdmitMessage;
  /**
   * Whether a sender is over their limit already, read before screening: a channel whose
   * sender retries is then answered 429 without the screening's work.
   */
  senderRefused?: SenderRefused;
  /** Told of every message over a limit and whether it was refused or stored (metrics). */
  onLimited?: (limit: string, outcome: "refused" | "stored") => void;
  /**
   * A message's `process` job waits this long, so lines the customer sends right after it
   * are answered together in one agent turn (the runtime coalesces them).
   */
  coalesceMs?: number;
}

/** Who wrote a message, and what it answers: all a conversation is found by. */
type Sender = Pick<InboundMessage, "from" | "displayName" | "phone" | "references">;

export interface OutboundDraft {
  text: string;
  author: Exclude<Author, "customer">;
  agentId?: string | null;
  agentVersion?: string | null;
  meta?: Record<string, unknown>;
}

/**
 * Every state change of a conversation goes through here, each in one transaction with
 * the jobs and events it causes: an inbound message is stored with its `process` job, a
 * reply with its `deliver` job. A crash can therefore never keep one without the other.
 */
export class ConversationService {
  constructor(private readonly options: ConversationServiceOptions) {}

  get store(): Store {
    return this.options.store;
  }

  /** The service's clock reading, for callers that record alongside it. */
  now(): number {
    return this.options.clock.now();
  }

  async receive(channel: ChannelRef, received: InboundMessage): Promise<AcceptedMessage> {
    // The limits are counted in the transaction that stores the message: no commits of their own.
    const admitted = await this.admit(channel, received);
    if ("duplicate" in admitted) return admitted.duplicate;
    await this.refuseFlood(channel, admitted.prepared.inbound);
    return this.storeInbound(channel, admitted.prepared, { countLimits: true });
  }

  /**
   * What happens to an inbound message before it may be stored: made storable, and dedupe
   * against what is stored. The limits are counted later, in the transaction that stores
   * it (`storeInbound`'s `countLimits`) or in the queued intake's batch (`overLimit`).
   */
  async admit(
    channel: ChannelRef,
    received: InboundMessage,
  ): Promise<{ duplicate: AcceptedMessage } | { prepared: PreparedInbound }> {
    // Before anything reads it: dedupe, screening and storage see only text a store keeps.
    const { value: inbound, sanitized } = storableFields(received);
    const seen = await this.findStored(channel, inbound);
    if (seen) return { duplicate: seen };
    return { prepared: { inbound, ...(sanitized && { sanitized }) } };
  }

  /**
   * Store an admitted message: screened first (a redact rule keeps PII out of the
   * database), then in ONE transaction its conversation, the message, events and its
   * `process` job. `options.messageId` is the id given out when it was queued;
   * `options.alongside` runs in that transaction too (the queued intake finishes its job
   * and removes the item there), also when the message turns out to be stored already.
   */
  async storeInbound(
    channel: ChannelRef,
    prepared: PreparedInbound,
    options: {
      messageId?: string;
      alongside?: (tx: Repositories) => Promise<void>;
      /**
       * Count the message limits first thing in the transaction (`prepared.limited` was not
       * decided yet): a refusal (429) rolls everything back, its count included.
       */
      countLimits?: boolean;
    } = {},
  ): Promise<AcceptedMessage> {
    const { inbound, sanitized } = prepared;
    let { limited } = prepared;
    const { store, clock } = this.options;
    const now = clock.now();
    if (options.alongside) {
      // Queued: the message may have been stored since it was admitted.
      const seen = await this.findStored(channel, inbound);
      if (seen) {
        await store.transaction(options.alongside);
        return seen;
      }
    }
    // Screened before storage, so a redact rule keeps PII out of the database.
    const screening = await this.options.screen?.({
      direction: "inbound",
      channel: channel.type,
      text: inbound.text,
      context: { country: senderCountry(inbound.phone) },
    });
    // Read before the transaction: the store refuses reads off `tx` inside it (MS_STORE_MISUSE).
    const assign = await this.options.currentAgent();
    const result = await store.transaction(async (tx) => {
      if (options.countLimits) limited = await this.overLimit(channel, inbound, tx);
      const conversation = await this.conversationFor(tx, channel, inbound, assign, now);
      const messageId = options.messageId ?? newId("msg", now);
      const inserted = await tx.messages.insert(
        {
          id: messageId,
          conversationId: conversation.id,
          channelId: channel.id,
          direction: "inbound",
          author: "customer",
          text: screening ? screening.redacted : inbound.text,
          attachments: inbound.attachments,
          providerMessageId: inbound.providerMessageId,
          status: "received",
          meta: {
            ...inbound.meta,
            ...(screening ? { guardrails: screeningRecord(screening) } : {}),
            ...(limited ? { limited } : {}),
            ...(sanitized ? { sanitized } : {}),
          },
        },
        now,
      );
      if (!inserted) return undefined; // a concurrent request stored it first
      await options.alongside?.(tx);
      // A conversation created by this message already carries its time.
      if (conversation.lastMessageAt !== now || conversation.updatedAt !== now) {
        await tx.conversations.touch(conversation.id, now);
      }
      await tx.events.append(conversation.id, "message.received", { messageId }, now);
      if (screening) {
        const record = screeningRecord(screening);
        await recordDecision(tx, conversation.id, { direction: "inbound", messageId, record }, now);
      }
      if (limited) {
        // Kept for the record and for people in the inbox, but the agent does not answer.
        await tx.events.append(conversation.id, "message.limited", { messageId, ...limited }, now);
        return { conversationId: conversation.id, messageId, duplicate: false, limited: true };
      }
      await this.enqueue(tx, {
        kind: PROCESS_JOB,
        queueKey: conversationQueueKeys(conversation.id).process,
        payload: { conversationId: conversation.id, messageId },
        runAt: now + (this.options.coalesceMs ?? 0),
      });
      return { conversationId: conversation.id, messageId, duplicate: false };
    });
    if (result) {
      this.options.onEnqueued?.();
      return result;
    }
    if (options.alongside) await store.transaction(options.alongside);
    return (await this.findStored(channel, inbound))!;
  }

  /** The stored copy of an inbound message (same channel and provider id), if any. */
  private async findStored(
    channel: ChannelRef,
    inbound: InboundMessage,
  ): Promise<AcceptedMessage | undefined> {
    if (!inbound.providerMessageId) return undefined;
    const seen = await this.options.store.messages.findInbound(
      channel.id,
      inbound.providerMessageId,
    );
    return seen && { conversationId: seen.conversationId, messageId: seen.id, duplicate: true };
  }

  /** A sender refused already is refused now, before the message is screened (a read). */
  private async refuseFlood(channel: ChannelRef, inbound: InboundMessage): Promise<void> {
    const { senderRefused } = this.options;
    if (!channel.retriesRefused || !senderRefused) return;
    const verdict = await senderRefused({ channelId: channel.id, from: inbound.from });
    if (verdict.ok) return;
    this.options.onLimited?.(verdict.limit, "refused");
    throw rateLimited(verdict.limit, verdict.retryAfterMs);
  }

  /**
   * The limit the sender or their contact is over, if any. A sender that retries refused
   * messages is refused with 429; any other's message is stored, marked and not answered,
   * so nothing a customer wrote is lost.
   */
  async overLimit(
    channel: ChannelRef,
    inbound: InboundMessage,
    /** A transaction to count in (the queued intake's batch); else statements of their own. */
    tx?: Repositories,
  ): Promise<{ limit: string; retryAfterMs: number } | undefined> {
    const { admit, store } = this.options;
    if (!admit) return undefined;
    const reads = tx ?? store;
    const verdict = await admit(
      {
        channelId: channel.id,
        from: inbound.from,
        contactId: async () =>
          (await reads.contacts.findIdentity(channel.type, inbound.from))?.contactId,
      },
      tx?.db,
    );
    if (verdict.ok) return undefined;
    this.options.onLimited?.(verdict.limit, channel.retriesRefused ? "refused" : "stored");
    if (channel.retriesRefused) throw rateLimited(verdict.limit, verdict.retryAfterMs);
    return { limit: verdict.limit, retryAfterMs: verdict.retryAfterMs };
  }

  /**
   * Store an outbound message and its delivery job in the caller's transaction. A caller
   * that touched the conversation in this transaction already (the agent's turn, whose
   * touch is its re-check of the state) says so, and it is not touched twice.
   */
  async queueOutbound(
    tx: Repositories,
    conversation: Conversation,
    written: OutboundDraft,
    { touched = false }: { touched?: boolean } = {},
  ): Promise<Message> {
    // Agents, people and the consent gate all write through here; the text is screened
    // already, and the replacement keeps its length, so the screening's spans still hold.
    const { value: draft, sanitized } = storableFields(written);
    const now = this.options.clock.now();
    const id = newId("msg", now);
    const message = await tx.messages.insert(
      {
        id,
        conversationId: conversation.id,
        channelId: conversation.channelId,
        direction: "outbound",
        author: draft.author,
        text: draft.text,
        status: "queued",
        agentId: draft.agentId ?? null,
        agentVersion: draft.agentVersion ?? null,
        meta: sanitized ? { ...draft.meta, sanitized } : draft.meta,
      },
      now,
    );
    if (!touched) await tx.conversations.touch(conversation.id, now);
    await tx.events.append(conversation.id, "message.queued", { messageId: id }, now);
    await this.enqueue(tx, {
      kind: DELIVER_JOB,
      queueKey: conversationQueueKeys(conversation.id).deliver,
      payload: { messageId: id, conversationId: conversation.id },
    });
    return message!; // a new id: nothing conflicts with it
  }

  /**
   * Give the conversation to a person, in the caller's transaction: the bot answers nothing
   * more in it (the runtime re-checks the state before storing any reply), and the team is
   * notified through a durable job when a handoff webhook is configured.
   */
  async handOff(tx: Repositories, conversationId: string, reason: string, detail = {}) {
    const now = this.options.clock.now();
    await tx.conversations.setState(conversationId, "human", now);
    await tx.events.append(conversationId, "conversation.handoff", { reason, ...detail }, now);
    // A person who took over by answering needs no notice that a person is needed.
    if (this.options.notifyHandoffs && reason !== "human_took_over") {
      await this.enqueue(tx, {
        kind: HANDOFF_NOTIFY_JOB,
        queueKey: conversationQueueKeys(conversationId).notify,
        payload: { conversationId, reason },
      });
    }
    this.options.onHandoff?.(reason);
  }

  /** Return a conversation from a person to the bot. */
  async handBack(tx: Repositories, conversationId: string, by: string) {
    const now = this.options.clock.now();
    await tx.conversations.setState(conversationId, "bot", now);
    await tx.events.append(conversationId, "conversation.handback", { by }, now);
  }

  /** Run `fn` in a transaction and wake the worker after it commits. */
  async transact<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    const result = await this.options.store.transaction(fn);
    this.options.onEnqueued?.();
    return result;
  }

  /** Apply a vendor delivery receipt; unknown ids are ignored (returns false). */
  async applyStatus(channelId: string, received: StatusUpdate): Promise<boolean> {
    // The vendor's id and error text are stored too (the message's error, its event).
    const { value: update } = storableFields(received);
    const { store, clock } = this.options;
    const message = await store.messages.findOutboundByProviderId(
      channelId,
      update.providerMessageId,
    );
    if (!message) return false;
    const now = clock.now();
    return store.transaction(async (tx) => {
      const moved = await tx.messages.advanceStatus(message.id, update.status, now, {
        error: update.error,
      });
      if (moved) {
        await tx.events.append(
          message.conversationId,
          `message.${update.status}`,
          { messageId: message.id, ...(update.error ? { error: update.error } : {}) },
          now,
        );
      }
      return moved;
    });
  }

  /**
   * The open conversation a customer message belongs to, in the caller's transaction: the
   * one its references thread into, else the sender's open one on this channel, else a new
   * one served by the version `assign` picks (null for exchanges no agent answers, such as
   * the proxy's).
   */
  async conversationFor(
    tx: Repositories,
    channel: ChannelRef,
    inbound: Sender,
    assign: AssignAgent | null,
    now: number,
  ): Promise<Conversation> {
    const { identity, linked } = await this.linkByPhone(tx, channel, inbound, now);
    let conversation =
      (await this.threadedConversation(tx, channel, inbound, identity.id)) ??
      (await tx.conversations.findOpen(identity.id, channel.id));
    if (!conversation) {
      const id = newId("conv", now);
      const agent = assign?.(id);
      conversation = await tx.conversations.create(
        {
          id,
          contactId: identity.contactId,
          identityId: identity.id,
          channelId: channel.id,
          channelType: channel.type,
          agentId: agent?.id ?? null,
          agentVersion: agent?.version ?? null,
        },
        now,
      );
      await tx.events.append(
        conversation.id,
        "conversation.started",
        {
          channelId: channel.id,
          agentId: agent?.id ?? null,
          agentVersion: agent?.version ?? null,
          ...(agent?.rollout && { rollout: agent.rollout }),
        },
        now,
      );
      // The contact's recent conversations did not settle it: they came back.
      await tx.outcomes.markRepeatContact(
        identity.contactId,
        now - REPEAT_CONTACT_WINDOW_MS,
        id,
        now,
      );
      if (agent) {
        await tx.outcomes.start(
          {
            conversationId: id,
            agentId: agent.id,
            agentVersion: agent.version,
            shadow: false,
            rolloutId: agent.rollout?.id ?? null,
            arm: agent.rollout?.arm ?? null,
            share: agent.rollout?.share ?? null,
            channelType: channel.type,
          },
          now,
        );
      }
    }
    if (linked) {
      await tx.events.append(
        conversation.id,
        "contact.linked",
        { identityId: identity.id, contactId: identity.contactId, evidence: linked },
        now,
      );
    }
    return conversation;
  }

  /**
   * The sender's identity, created the first time. A new identity whose verified phone
   * another channel's identity already carries joins that identity's contact: only a number
   * the channel vouches for links, never a name or anything the customer typed.
   */
  private async linkByPhone(
    tx: Repositories,
    channel: ChannelRef,
    inbound: Sender,
    now: number,
  ): Promise<{
    identity: Identity;
    linked?: { by: "verified_phone"; phone: string; otherIdentityId: string; mergeId: string };
  }> {
    const existing = await tx.contacts.findIdentity(channel.type, inbound.from);
    if (existing) return { identity: existing };
    const phone = inbound.phone === undefined ? undefined : toE164(inbound.phone);
    const other = phone ? await tx.contacts.findByPhone(phone, channel.type) : undefined;
    const created = await tx.contacts.createIdentity(
      {
        channelType: channel.type,
        address: inbound.from,
        phone: phone ?? null,
        displayName: inbound.displayName ?? null,
      },
      now,
    );
    if (!created) {
      // Another instance created it between our read and write: use theirs.
      return { identity: (await tx.contacts.findIdentity(channel.type, inbound.from))! };
    }
    if (!other || !phone) return { identity: created };
    // Linked as a recorded merge of the new contact into the existing one, so an operator
    // can undo it through the API like any other merge.
    await tx.contacts.moveIdentities([created.id], other.contactId, now);
    const merge = await tx.contactMerges.create(
      {
        targetContactId: other.contactId,
        sourceContactId: created.contactId,
        identityIds: [created.id],
        conversationIds: [],
        reason: `automatic: verified phone ${phone} shared with identity ${other.id}`,
      },
      now,
    );
    return {
      identity: { ...created, contactId: other.contactId },
      linked: { by: "verified_phone", phone, otherIdentityId: other.id, mergeId: merge.id },
    };
  }

  /**
   * The open conversation an inbound message's `references` point into, if any, and only
   * when it is the same customer's: someone copied on a thread starts their own
   * conversation, so answers never go to another person.
   */
  private async threadedConversation(
    tx: Repositories,
    channel: ChannelRef,
    inbound: Sender,
    identityId: string,
  ): Promise<Conversation | undefined> {
    for (const ref of inbound.references ?? []) {
      const earlier = await tx.messages.findOutboundByProviderId(channel.id, ref);
      if (!earlier) continue;
      const conversation = await tx.conversations.get(earlier.conversationId);
      if (conversation?.identityId === identityId && conversation.state !== "closed") {
        return conversation;
      }
    }
    return undefined;
  }

  private enqueue(
    tx: Repositories,
    spec: Omit<JobSpec, "maxAttempts" | "runAt"> & { runAt?: number },
  ) {
    const now = this.options.clock.now();
    return this.options.queue.enqueue(
      tx.db,
      { runAt: now, ...spec, maxAttempts: this.options.maxAttempts },
      now,
    );
  }
}

function rateLimited(limit: string, retryAfterMs: number): MainstayError {
  return rateLimitedError(
    retryAfterMs,
    (s) => `too many messages from this sender (limit ${limit}); send again in ${s} s`,
  );
}
