import type { AuditRecord, Repositories, Store } from "../store/index.ts";
import { GENESIS_HASH, hashAuditEntry } from "./audit-hash.ts";

/** Who did what to what: `actor` is an API key's name or `cli:<user>`. */
export interface AuditEntry {
  actor: string;
  /** Dotted verb, e.g. `agent.version.activate`, `rollout.decision`, `agent.kill`. */
  action: string;
  /** What it was done to, e.g. an agent id or a rollout id. */
  target: string;
  data?: Record<string, unknown>;
}

/**
 * Append an entry chained to the last one. Pass the caller's transaction (`tx`) to record
 * the entry atomically with the change it describes; given the store itself, it opens its
 * own transaction. The append lock is held until that transaction ends, so appends from
 * several instances take turns and the chain never forks.
 */
export async function appendAudit(
  repos: Repositories | Store,
  entry: AuditEntry,
  now: number,
): Promise<AuditRecord> {
  if ("transaction" in repos) return repos.transaction((tx) => appendAudit(tx, entry, now));
  await repos.auditLog.lockForAppend();
  const last = await repos.auditLog.last();
  const unsealed = {
    seq: (last?.seq ?? 0) + 1,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    data: JSON.stringify(entry.data ?? {}),
    createdAt: now,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const record = { ...unsealed, hash: hashAuditEntry(unsealed) };
  await repos.auditLog.insert(record);
  return record;
}
