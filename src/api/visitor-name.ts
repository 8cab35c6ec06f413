import { createHash } from "node:crypto";
import { channelTraitsOf } from "../channels/index.ts";
import type { Conversation } from "../store/index.ts";

/** What is known of a customer for naming them in the inbox. */
export interface VisitorFacts {
  contactId: string;
  channelType: string;
  displayName: string | null;
  identity: { address: string; phone: string | null } | null;
}

const PHONE = /^\+\d{6,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A name an operator can read: the name the channel gave, else the phone number it
 * vouches for, else the address when the channel's addresses are phones or emails (or look
 * like one), else "Visitor 4821", four digits of a hash of the contact id, so the same
 * customer keeps the same name on every screen. Opaque addresses (web-chat sessions,
 * vendor chat ids) are never shown: they mean nothing to a person.
 */
export function visitorName(facts: VisitorFacts): string {
  const name = facts.displayName?.trim();
  if (name) return name;
  const identity = facts.identity;
  if (identity?.phone) return identity.phone;
  if (identity) {
    const kind = channelTraitsOf(facts.channelType)?.addresses ?? "any";
    const address = identity.address.trim();
    if (kind === "phone" || kind === "email") return address;
    if (kind === "any" && (PHONE.test(address) || EMAIL.test(address))) return address;
  }
  const digits = createHash("sha256").update(facts.contactId).digest().readUInt32BE(0) % 10_000;
  return `Visitor ${String(digits).padStart(4, "0")}`;
}

/** The `contact` of a conversation as the inbox's routes answer it, with its readable name. */
export function namedContact(
  conversation: Conversation,
  displayName: string | null,
  identity: VisitorFacts["identity"],
) {
  const { contactId, channelType } = conversation;
  return {
    id: contactId,
    displayName,
    name: visitorName({ contactId, channelType, displayName, identity }),
  };
}
