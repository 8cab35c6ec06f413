export {
  ConversationService,
  type ConversationServiceOptions,
  type OutboundDraft,
} from "./conversation-service.ts";
export { recordDecision } from "./record-decision.ts";
export * from "./types.ts";
