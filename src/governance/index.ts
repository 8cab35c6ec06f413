export { contactHash, type Erasure, eraseContact, erasureOf } from "./erase-contact.ts";
export { EXPORT_FORMAT, exportContact } from "./export-contact.ts";
export {
  activeHoldsOn,
  getHold,
  type HoldScope,
  type LegalHold,
  liftHold,
  listHolds,
  placeHold,
} from "./legal-holds.ts";
export { createRetention, type PurgeCounts, RETENTION_CHUNK, type Retention } from "./retention.ts";
export {
  DATA_CLASSES,
  type DataClass,
  type RetentionConfig,
  retentionConfigSchema,
} from "./retention-config.ts";
