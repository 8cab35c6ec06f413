import { createHash } from "node:crypto";
import type { AuditRecord } from "../store/index.ts";

/** The `prev_hash` of the first entry: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * SHA-256 (hex) over the entry's fields and the previous entry's hash. The encoding is a
 * JSON array in a fixed order, so no field can bleed into the next; `data` is the stored
 * JSON text itself, so the hash never depends on how a reader re-serialises it.
 */
export function hashAuditEntry(entry: Omit<AuditRecord, "hash">): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.actor,
    entry.action,
    entry.target,
    entry.data,
    entry.createdAt,
    entry.prevHash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
