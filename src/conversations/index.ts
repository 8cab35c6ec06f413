export { ConversationEventFeed } from "./conversation-event-feed.ts";
export {
  type ConversationChange,
  ConversationEvents,
  type ConversationListener,
  observeConversationEvents,
} from "./conversation-events.ts";
export {
  ConversationService,
  type ConversationServiceOptions,
  type OutboundDraft,
} from "./conversation-service.ts";
export { recordDecision } from "./record-decision.ts";
export { type Feedback, recordFeedback } from "./record-feedback.ts";
export * from "./types.ts";
