export {
  type ChatRequest,
  chatRequestSchema,
  PROXY_CHANNEL_TYPE,
  screenRequest,
} from "./chat-request.ts";
export { type OpenAIErrorBody, openAIError, policyViolation } from "./openai-error.ts";
export { type ProxyConfig, proxyConfigSchema } from "./proxy-config.ts";
export { callerAddress, type Exchange, recordExchange } from "./record-exchange.ts";
export { type ChatCompletion, screenCompletion } from "./screen-completion.ts";
export { StreamScreen } from "./screen-stream.ts";
export { SentenceBuffer } from "./sentence-buffer.ts";
export { callUpstream } from "./upstream.ts";
