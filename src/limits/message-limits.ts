import type { Clock } from "../shared/clock.ts";
import type { Executor } from "../store/index.ts";
import type { LimitsConfig } from "./limits-config.ts";
import { type RateLimit, rateLimit, type Verdict } from "./rate-limit.ts";

/** Who sent an inbound message, as far as it is known before it is stored. */
export interface MessageSender {
  channelId: string;
  /** The sender's address on the channel (phone, email, web-chat session). */
  from: string;
  /**
   * The contact the address belongs to, once it has one: looked up only when a contact
   * limit is on.
   */
  contactId: () => Promise<string | undefined>;
}

/**
 * How many inbound messages one sender and one contact may have answered: the first limit
 * refusing decides. Counted in the transaction that stores the message (or the queued
 * intake's batch), so counting costs no commit of its own; a refusal rolls it back.
 */
export class MessageLimits {
  private readonly perSender: RateLimit;
  private readonly perContact: RateLimit;

  constructor(config: LimitsConfig, deps: { db: Executor; clock: Clock }) {
    this.perSender = rateLimit("sender", config.perSender, deps);
    this.perContact = rateLimit("contact", config.perContact, deps);
  }

  /**
   * Whether this sender is refused already (their window and burst used up), spending
   * nothing: one read, so a flood from one sender is turned away before it is screened.
   */
  refusedAlready(sender: Pick<MessageSender, "channelId" | "from">): Promise<Verdict> {
    return this.perSender.refused(`${sender.channelId}:${sender.from}`);
  }

  /** `on`: count in that transaction (the one storing the message, or the queued intake's batch). */
  async admit(sender: MessageSender, on?: Executor): Promise<Verdict> {
    const bySender = await this.perSender.take(`${sender.channelId}:${sender.from}`, 1, on);
    if (!bySender.ok || !this.perContact.counts) return bySender;
    const contactId = await sender.contactId();
    return contactId === undefined ? bySender : this.perContact.take(contactId, 1, on);
  }
}
