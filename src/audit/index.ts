export { type AuditEntry, appendAudit } from "./append-audit.ts";
export { GENESIS_HASH, hashAuditEntry } from "./audit-hash.ts";
export { cliActor } from "./cli-actor.ts";
export { type AuditPurge, purgeAudit } from "./purge-audit.ts";
export {
  type AuditHead,
  type AuditVerification,
  auditHeadSchema,
  verifyAudit,
} from "./verify-audit.ts";
