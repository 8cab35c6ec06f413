import type { AuditRecord, Store } from "../store/index.ts";
import { appendAudit } from "./append-audit.ts";
import { GENESIS_HASH, hashAuditEntry } from "./audit-hash.ts";

/** Entries per transaction: each chunk is a few milliseconds on SQLite's one connection. */
const CHUNK = 200;

export interface AuditPurge {
  /** Entries removed. */
  purged: number;
  /** The chain's new start (the last entry removed), when any were. */
  throughSeq?: number;
  /** Set when the entries to purge do not verify: nothing from there on was removed. */
  refused?: string;
}

/**
 * Retention for the audit log: remove the oldest entries stored before `cutoff`, a chunk per
 * transaction, and record the last one removed as the chain's start (`audit_chain_start`),
 * so `verifyAudit` checks the kept entries from there. The newest entry is always kept (the
 * next append chains to it), and a pass that removed anything ends with an `audit.purge`
 * entry saying how far it went. Entries are checked before they go: a chunk whose hashes or
 * links are broken is kept, with the reason, because removing it would erase the evidence
 * of tampering.
 */
export async function purgeAudit(store: Store, cutoff: number, now: number): Promise<AuditPurge> {
  let purged = 0;
  let throughSeq: number | undefined;
  for (;;) {
    const step = await store.transaction(async (tx) => {
      await tx.auditLog.lockForAppend();
      const start = await tx.auditLog.chainStart();
      const head = await tx.auditLog.last();
      if (!head) return { removed: 0 };
      // From the lowest seq there is when nothing was purged yet, as verification reads.
      const after = start?.seq ?? Number.MIN_SAFE_INTEGER;
      const page = await tx.auditLog.page(after, head.seq - 1, CHUNK);
      // Only a prefix goes: an entry stamped later than one after it (a clock set back)
      // keeps everything from there on.
      const firstKept = page.findIndex((e) => e.createdAt >= cutoff);
      const prefix = firstKept === -1 ? page : page.slice(0, firstKept);
      if (prefix.length === 0) return { removed: 0 };
      const broken = brokenLink(prefix, start?.hash ?? GENESIS_HASH);
      if (broken) return { removed: 0, refused: broken };
      const last = prefix.at(-1)!;
      return {
        removed: await tx.auditLog.purgeThrough(last, now),
        last,
        more: prefix.length === CHUNK,
      };
    });
    purged += step.removed;
    if (step.last) throughSeq = step.last.seq;
    if (step.refused) return { purged, throughSeq, refused: step.refused };
    if (!step.more) break;
  }
  if (purged > 0) {
    await appendAudit(
      store,
      {
        actor: "system:retention",
        action: "audit.purge",
        target: "audit_log",
        data: { throughSeq, entries: purged, cutoff },
      },
      now,
    );
  }
  return { purged, throughSeq };
}

/** Why `entries` (oldest first) are not a sound chain from `prevHash`, if they are not. */
function brokenLink(entries: AuditRecord[], prevHash: string): string | undefined {
  let previous = prevHash;
  for (const entry of entries) {
    if (hashAuditEntry(entry) !== entry.hash) return `entry ${entry.seq} was altered`;
    if (entry.prevHash !== previous) return `entry ${entry.seq} does not follow the one before it`;
    previous = entry.hash;
  }
  return undefined;
}
