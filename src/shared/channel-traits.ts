/**
 * What a channel type is like, declared once by its definition under `channels/` and read
 * by every module that must treat channels differently (compliance, guardrails, the
 * webhook route). Modules ask for a trait, never for a type name, so a new channel type
 * is a folder and one registry line. It lives in `shared/` because guardrails (which
 * depends on nothing but `shared/`) reads it too.
 */
export interface ChannelTraits {
  /** Delivered as SMS: billed and capped per segment (GSM-7 / UCS-2), carriers cap length. */
  sms?: { maxSegments: number };
  /** Longest text the vendor accepts in one message, in characters. */
  maxChars?: number;
  /**
   * Free-form replies are allowed only this many hours after the customer's last message;
   * later only an approved template (`meta.template`) may be sent (WhatsApp: 24).
   */
  replyWindowHours?: number;
  /**
   * What a customer's address is: `phone` (E.164, with or without `+`, so its country
   * gives the contact's time zone for quiet hours), `email`, `opaque` (a vendor's chat or
   * session id, never read as a number), or `any` (read as a phone only when written
   * with a leading `+`).
   */
  addresses: "phone" | "email" | "opaque" | "any";
  /** An opt-out is confirmed with one last message (carriers expect it on SMS). */
  confirmsOptOut: boolean;
  /** The vendor reports delivery receipts (delivered, read, failed) to the webhook. */
  receipts: boolean;
  /** Sends carry our message id as an idempotency key the vendor honours. */
  idempotentSends: boolean;
  /** The sender sends again what is refused with 429 and `Retry-After`. */
  retriesRefused: boolean;
  /**
   * The customer sees who answers (a live chat page): a person taking the conversation
   * is announced ("Ana joined the conversation") and their replies carry their name.
   */
  showsOperators?: boolean;
}

/** Looks up the traits of a channel type; `undefined` for a type nobody registered. */
export type ChannelTraitsOf = (channelType: string) => ChannelTraits | undefined;
