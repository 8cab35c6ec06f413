export {
  type ChatRequest,
  chatRequestSchema,
  PROXY_CHANNEL_TYPE,
  screenRequest,
} from "./chat-request.ts";
export { type OpenAIErrorBody, openAIError, policyViolation } from "./openai-error.ts";
export { type ProxyConfig, proxyConfigSchema } from "./proxy-config.ts";
export {
  callerAddress,
  type Exchange,
  type ExchangeRecord,
  exchangeRecord,
  type RecordingService,
  recordExchanges,
} from "./record-exchange.ts";
export { PROXY_RECORD_JOB, ProxyRecordOutbox, proxyRecordHandler } from "./record-job.ts";
export { relayStream } from "./relay-stream.ts";
export { type ChatCompletion, screenCompletion } from "./screen-completion.ts";
export { StreamScreen } from "./screen-stream.ts";
export { SentenceBuffer } from "./sentence-buffer.ts";
export { callUpstream, type UpstreamResult, type UpstreamStream } from "./upstream.ts";
