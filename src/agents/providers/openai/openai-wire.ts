import type { ChatMessage, ChatRequest, ChatResponse, ToolCallRequest } from "../chat-provider.ts";
import { parseToolArguments } from "../tool-arguments.ts";

/**
 * The subset of the Chat Completions API we speak
 * (https://platform.openai.com/docs/api-reference/chat/create). OpenAI-compatible servers
 * (vLLM, Ollama, LiteLLM, Azure) omit fields freely, so every answer field is optional.
 */
export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

export interface OpenAICompletion {
  model?: string;
  choices?: {
    message?: { content?: string | null; tool_calls?: OpenAIToolCall[] };
    finish_reason?: string | null;
  }[];
  usage?: OpenAIUsage | null;
}

export interface OpenAIChunk {
  model?: string;
  choices?: {
    delta?: {
      content?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        function?: { name?: string; arguments?: string };
      }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: OpenAIUsage | null;
  /** Some servers report a failure after the 200 as an error chunk. */
  error?: unknown;
}

export function toOpenAIBody(request: ChatRequest): Record<string, unknown> {
  return {
    model: request.model,
    messages: request.messages.map(toOpenAIMessage),
    ...(request.tools?.length && {
      tools: request.tools.map((tool) => ({
        type: "function",
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      })),
    }),
    ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
  };
}

function toOpenAIMessage(message: ChatMessage): Record<string, unknown> {
  if (message.role === "tool") {
    return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
  }
  if (message.role === "assistant" && message.toolCalls?.length) {
    return {
      role: "assistant",
      // The API wants null, not "", when the assistant only called tools.
      content: message.content === "" ? null : message.content,
      tool_calls: message.toolCalls.map(
        (call): OpenAIToolCall => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        }),
      ),
    };
  }
  return { role: message.role, content: message.content };
}

export function fromOpenAICompletion(
  provider: string,
  requestModel: string,
  completion: OpenAICompletion,
): ChatResponse {
  const choice = completion.choices?.[0];
  return {
    provider,
    model: completion.model ?? requestModel,
    text: choice?.message?.content ?? "",
    toolCalls: (choice?.message?.tool_calls ?? []).map(
      (call): ToolCallRequest => ({
        id: call.id,
        name: call.function.name,
        arguments: parseToolArguments(call.function.arguments),
      }),
    ),
    usage: fromOpenAIUsage(completion.usage),
    finishReason: choice?.finish_reason ?? "",
  };
}

export function fromOpenAIUsage(usage: OpenAIUsage | null | undefined) {
  return { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 };
}
