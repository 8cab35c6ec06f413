export { ConversationEventFeed } from "./conversation-event-feed.ts";
export {
  type ConversationChange,
  ConversationEvents,
  type ConversationListener,
  observeConversationEvents,
} from "./conversation-events.ts";
export {
  type Assignment,
  addNote,
  assignConversation,
  changeLabel,
  closeConversation,
  OPERATOR_JOINED,
  reopenConversation,
} from "./conversation-inbox.ts";
export {
  ConversationService,
  type ConversationServiceOptions,
  type OutboundDraft,
} from "./conversation-service.ts";
export { type JobReads, jobReads } from "./job-reads.ts";
export {
  DEFAULT_OUTCOME_LABEL_SETTINGS,
  type LabelledOutcome,
  labelOutcome,
  OUTCOME_LABELS,
  type OutcomeFacts,
  type OutcomeLabel,
  type OutcomeLabelSettings,
  type OutcomeLabelsConfig,
  type OutcomeReason,
  outcomeLabelSettings,
  outcomeLabelsConfigSchema,
} from "./outcome-labels.ts";
export {
  INBOUND_STORE_JOB,
  inboundStoreHandler,
  QueuedIntake,
  type QueuedIntakeOptions,
} from "./queued-intake.ts";
export { recordDecision } from "./record-decision.ts";
export { type Feedback, recordFeedback } from "./record-feedback.ts";
export * from "./types.ts";
