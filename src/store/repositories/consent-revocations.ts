import type { Repositories } from "../store.ts";
import { type ConsentEntry, messagePurpose } from "./consent-ledger.ts";

/**
 * A revocation must be honoured within 10 business days (47 CFR 64.1200(a)(10), in force
 * since April 2025). Business days are Monday to Friday in UTC; public holidays are not
 * skipped, so the deadline is never later than the rule's.
 */
export const HONOUR_WITHIN_BUSINESS_DAYS = 10;

const DAY = 86_400_000;

/** `from` plus `days` business days (Monday to Friday, UTC), at the same time of day. */
export function addBusinessDays(from: number, days: number): number {
  let at = from;
  for (let left = days; left > 0; ) {
    at += DAY;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return at;
}

/** One revocation and whether every message it covers has been stopped. */
export interface RevocationStatus {
  entry: ConsentEntry;
  deadline: number;
  /** When an opt-in in the same series ended it; null while it holds. */
  endedAt: number | null;
  /** Covered messages still queued: the delivery gate will refuse them, but they wait. */
  queued: string[];
  /** Covered messages sent after the revocation (and before any opt-in). */
  sentAfter: string[];
  /** Nothing queued and nothing sent after it. */
  honoured: boolean;
  /** Not honoured, and the deadline has passed. */
  overdue: boolean;
}

/** At most this many message ids per revocation are listed. */
const MESSAGES = 50;

export async function revocationStatus(
  store: Repositories,
  entry: ConsentEntry,
  now: number,
): Promise<RevocationStatus> {
  const ended = await store.consent.nextInSeries(entry);
  const endedAt = ended?.state === "opted_in" ? ended.createdAt : null;
  const window = { from: entry.createdAt, until: endedAt ?? Number.MAX_SAFE_INTEGER };
  const covered = (await store.consent.coveredOutbound(entry, window, MESSAGES)).filter(
    (m) =>
      // The one confirmation of the opt-out itself is allowed to go.
      !String(m.meta["compliance"] ?? "").endsWith("_confirmation") &&
      (entry.purpose === "service" || messagePurpose(m) === entry.purpose),
  );
  // A message queued before an opt-in that ended the revocation may go now.
  const queued = endedAt === null ? covered.filter((m) => m.status === "queued") : [];
  const sentAfter = covered.filter((m) => m.sentAt !== null);
  const honoured = queued.length === 0 && sentAfter.length === 0;
  const deadline = addBusinessDays(entry.createdAt, HONOUR_WITHIN_BUSINESS_DAYS);
  return {
    entry,
    deadline,
    endedAt,
    queued: queued.map((m) => m.id),
    sentAfter: sentAfter.map((m) => m.id),
    honoured,
    overdue: !honoured && now > deadline,
  };
}

/**
 * Revocations after `afterSeq`, oldest first, scanning at most `limit`; with `pending`,
 * only those not yet honoured everywhere. `next` is where to go on, null at the end.
 */
export async function revocationReport(
  store: Repositories,
  query: { afterSeq: number; limit: number; pending: boolean },
  now: number,
): Promise<{ revocations: RevocationStatus[]; next: number | null }> {
  const entries = await store.consent.revocations(query.afterSeq, query.limit);
  const revocations: RevocationStatus[] = [];
  for (const entry of entries) {
    const status = await revocationStatus(store, entry, now);
    if (!query.pending || !status.honoured) revocations.push(status);
  }
  const next = entries.length === query.limit ? entries.at(-1)!.seq : null;
  return { revocations, next };
}
