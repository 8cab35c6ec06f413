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
export { readServerSentEvents } from "./server-sent-events.ts";
