export { type AnthropicOptions, createAnthropic } from "./anthropic/anthropic.ts";
export type {
  ChatChunk,
  ChatMessage,
  ChatProvider,
  ChatRequest,
  ChatResponse,
  ChatRole,
  ChatUsage,
  ToolCallRequest,
  ToolSpec,
} from "./chat-provider.ts";
export { ProviderError } from "./chat-provider.ts";
export {
  createOpenAICompatible,
  type OpenAICompatibleOptions,
} from "./openai/openai-compatible.ts";
export type { ProviderDefinition, ProviderDeps } from "./provider-definition.ts";
export {
  createProvider,
  modelProviderTypes,
  type ProviderEntry,
  type ProviderType,
  providerDefinition,
  providerDefinitions,
  providerEntrySchema,
} from "./registry.ts";
export {
  type ResilienceSettings,
  resilienceFields,
  resolveResilience,
} from "./resilience-settings.ts";
export { readServerSentEvents } from "./server-sent-events.ts";
