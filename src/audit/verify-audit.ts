import { z } from "zod";
import type { AuditChainStart, AuditRecord, Repositories } from "../store/index.ts";
import { GENESIS_HASH, hashAuditEntry } from "./audit-hash.ts";

/** An entry's position and hash, as a verification reported it. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** A head written `SEQ:HASH`, as `mainstay audit verify --head` and the API take it. */
export const auditHeadSchema = z
  .string()
  .regex(/^[0-9]+:[0-9a-f]{64}$/, "expected SEQ:HASH (a head an earlier verification printed)")
  .transform((s): AuditHead => {
    const [seq, hash] = s.split(":") as [string, string];
    return { seq: Number(seq), hash };
  });

export interface AuditVerification {
  ok: boolean;
  /** Entries checked and found sound (all of them when `ok`). */
  entries: number;
  /** Where the kept log starts when retention purged older entries (the last one purged). */
  purgedThrough?: number;
  /** The last entry checked, when `ok`: keep it elsewhere to detect a rewritten log. */
  head?: AuditHead;
  firstBadSeq?: number;
  reason?: string;
}

const PAGE = 500;

/**
 * Recompute every entry's hash and check each links to the one before, oldest first, a
 * page at a time. Entries appended while it runs (after the head read first) are left out.
 * `knownHead`, a head recorded earlier, must still be in the log with the same hash: a
 * chain rewritten by someone with write access to the database is sound again otherwise.
 */
export async function verifyAudit(
  repos: Repositories,
  knownHead?: AuditHead,
): Promise<AuditVerification> {
  const head = await repos.auditLog.last();
  const start = await repos.auditLog.chainStart();
  let previous: AuditRecord | undefined;
  let entries = 0;
  let knownHash: string | undefined;
  if (knownHead && start && knownHead.seq <= start.seq) {
    if (knownHead.seq === start.seq) knownHash = start.hash;
    else {
      const reason = `entry ${knownHead.seq} of the known head was purged by retention (the log is kept from entry ${start.seq + 1}): check against a head recorded since`;
      return { ok: false, entries, firstBadSeq: knownHead.seq, reason };
    }
  }
  for await (const record of entriesThrough(repos, head?.seq)) {
    const reason = problemWith(record, previous, start);
    if (reason) return { ok: false, entries, firstBadSeq: record.seq, reason };
    if (record.seq === knownHead?.seq) knownHash = record.hash;
    previous = record;
    entries++;
  }
  if (knownHead && knownHash !== knownHead.hash) {
    const reason =
      knownHash === undefined
        ? `entry ${knownHead.seq} of the known head is missing: entries were removed from the end`
        : `entry ${knownHead.seq} has another hash than the known head: the log was rewritten`;
    return { ok: false, entries, firstBadSeq: knownHead.seq, reason };
  }
  const purged = start ? { purgedThrough: start.seq } : {};
  return head
    ? { ok: true, entries, ...purged, head: { seq: head.seq, hash: head.hash } }
    : { ok: true, entries, ...purged };
}

/** Every entry up to `lastSeq`, oldest first, read a page at a time. */
async function* entriesThrough(repos: Repositories, lastSeq: number | undefined) {
  if (lastSeq === undefined) return;
  // From the lowest seq there is: a row slipped in before the first entry is checked too.
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await repos.auditLog.page(after, lastSeq, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page.at(-1)!.seq;
  }
}

function problemWith(
  record: AuditRecord,
  previous: AuditRecord | undefined,
  start: AuditChainStart | undefined,
): string | undefined {
  if (hashAuditEntry(record) !== record.hash) {
    return `entry ${record.seq} was altered: its hash does not match its contents`;
  }
  if (!previous && start && (record.seq !== start.seq + 1 || record.prevHash !== start.hash)) {
    return `entry ${record.seq} is the first entry kept but does not follow entry ${start.seq}, where retention left the chain: entries were removed`;
  }
  if (!previous && !start && record.prevHash !== GENESIS_HASH) {
    return `entry ${record.seq} is the first entry but its prev_hash is not the genesis hash: entries before it were removed`;
  }
  if (previous && record.prevHash !== previous.hash) {
    return `entry ${record.seq} does not follow entry ${previous.seq}: its prev_hash is another entry's hash (entries were removed, inserted or reordered)`;
  }
  return undefined;
}
