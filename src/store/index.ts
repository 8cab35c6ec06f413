export type { Dialect, Executor, SqlValue } from "./database.ts";
export {
  type ColumnKeyCount,
  type EncryptionOptions,
  type KeyState,
  keyStates,
  keyStatus,
  type MasterKey,
  type RotationChunk,
  type RotationResult,
  rotateKeys,
} from "./encryption/index.ts";
export { GroupCommit } from "./group-commit.ts";
export { latestMigration } from "./migrations.ts";
export type * from "./model.ts";
export type { AgentKill, KillFallback } from "./repositories/agent-kills.ts";
export type {
  ActiveAgentVersion,
  AgentVersionRecord,
  AgentVersionsRepository,
} from "./repositories/agent-versions.ts";
export type {
  AlertState,
  AlertStatesRepository,
  FiringAlert,
  PendingNotification,
} from "./repositories/alert-states.ts";
export type { ApiKeyRecord, ApiKeyScopes, NewApiKey } from "./repositories/api-keys.ts";
export type { AuditChainStart, AuditFilter, AuditRecord } from "./repositories/audit-log.ts";
export type { CannedResponse } from "./repositories/canned-responses.ts";
export {
  CONSENT_PURPOSES,
  type ConsentEntry,
  type ConsentPurpose,
  type ConsentScope,
  type ConsentTarget,
  messagePurpose,
} from "./repositories/consent-ledger.ts";
export {
  addBusinessDays,
  HONOUR_WITHIN_BUSINESS_DAYS,
  type RevocationStatus,
  revocationReport,
} from "./repositories/consent-revocations.ts";
export type { ConsoleSessionRecord } from "./repositories/console-sessions.ts";
export { toE164 } from "./repositories/contacts.ts";
export type { ConversationNote } from "./repositories/conversation-notes.ts";
export type { ConversationFilter, NewConversation } from "./repositories/conversations.ts";
export type { EvalRunKind, EvalRunRecord, EvalRunsRepository } from "./repositories/eval-runs.ts";
export { EVENTS_CHANNEL } from "./repositories/events.ts";
export type { InboundItem } from "./repositories/inbound-items.ts";
export type {
  Incident,
  IncidentEvent,
  IncidentSeverity,
  IncidentStatus,
  IncidentsRepository,
  NewIncident,
} from "./repositories/incidents.ts";
export type { NewMessage } from "./repositories/messages.ts";
export type {
  MetricRollup,
  MetricRollupsRepository,
  RollupAggregate,
  RollupDimension,
  RollupQuery,
} from "./repositories/metric-rollups.ts";
export type {
  AgentTurnRecord,
  ConversationOutcome,
  OutcomeEventRecord,
  OutcomeFacts,
  OutcomeStart,
  VersionOutcomeFacts,
} from "./repositories/outcomes.ts";
export type {
  JudgedRow,
  PendingSample,
  QualityCandidate,
  QualityDecision,
  QualityScore,
  QualitySpend,
  QualityStatus,
  SampleReason,
  SamplerPosition,
} from "./repositories/quality-scores.ts";
export {
  type ArmShareCount,
  bucketUpperMs,
  COST_UNIT,
  costUnits,
  eventMetrics,
  evidenceOnQuality,
  latencyBucket,
  QUALITY_METRIC,
  type RolloutEvidence,
  type RolloutMark,
  turnMetrics,
} from "./repositories/rollout-evidence.ts";
export type {
  RolloutDecisionRecord,
  RolloutRecord,
  RolloutState,
} from "./repositories/rollouts.ts";
export type { TurnTraceRecord } from "./repositories/turn-traces.ts";
export { StatementCounter } from "./statement-counter.ts";
export { openStore, type Repositories, type Store, type StoreOptions } from "./store.ts";
