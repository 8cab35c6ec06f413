import { type Span, SpanStatusCode } from "@opentelemetry/api";
import { ProviderError } from "../../agents/providers/index.ts";
import { ChannelSendError } from "../../channels/index.ts";
import { describeError, isMainstayError } from "../../shared/errors.ts";

/**
 * GenAI semantic convention attributes (opentelemetry.io/docs/specs/semconv/gen-ai/), kept
 * here rather than imported from the package's `incubating` entry point, whose names may
 * change in any minor release (as the package itself advises).
 */
export const GEN_AI = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  conversationId: "gen_ai.conversation.id",
  agentId: "gen_ai.agent.id",
  agentName: "gen_ai.agent.name",
  agentVersion: "gen_ai.agent.version",
  requestModel: "gen_ai.request.model",
  requestMaxTokens: "gen_ai.request.max_tokens",
  requestTemperature: "gen_ai.request.temperature",
  responseModel: "gen_ai.response.model",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  toolName: "gen_ai.tool.name",
  toolType: "gen_ai.tool.type",
  toolDescription: "gen_ai.tool.description",
  toolArguments: "gen_ai.tool.call.arguments",
  toolResult: "gen_ai.tool.call.result",
  systemInstructions: "gen_ai.system_instructions",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
} as const;

/** The stable `error.type` attribute. */
const ERROR_TYPE = "error.type";

/** Marks the span failed with a low-cardinality `error.type` and the error's message. */
export function recordFailure(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
  span.setAttribute(ERROR_TYPE, errorType(error));
}

function errorType(error: unknown): string {
  if (error instanceof ProviderError) return error.options.code ?? "ProviderError";
  if (error instanceof ChannelSendError) return error.options.vendorCode ?? "ChannelSendError";
  if (isMainstayError(error)) return error.code;
  return error instanceof Error ? error.name : "Error";
}

/** One text message in the GenAI conventions' JSON form for input and output messages. */
export function textMessage(role: string, text: string) {
  return { role, parts: [{ type: "text", content: text }] };
}
