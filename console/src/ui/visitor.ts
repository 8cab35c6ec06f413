import type { Conversation } from "../types.ts";

/** The customer's readable name as the server gives it, with older servers' fields after. */
export const visitorOf = (c: Conversation & { identity?: { address: string } | null }) =>
  c.contact?.name ?? c.contact?.displayName ?? c.identity?.address ?? c.contactId;
