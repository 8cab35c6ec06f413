export {
  ConversationService,
  type ConversationServiceOptions,
  type OutboundDraft,
} from "./conversation-service.ts";
export * from "./types.ts";
