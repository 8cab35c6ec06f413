import type { ChatMessage, ChatRequest, ChatResponse } from "../chat-provider.ts";

/** The subset of Anthropic's Messages API we speak (https://docs.anthropic.com/en/api/messages). */
export type AnthropicBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_result"; tool_use_id: string; content: string };

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: string | AnthropicBlock[];
}

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
}

export interface AnthropicAnswer {
  model?: string;
  content?: AnthropicBlock[];
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}

export function toAnthropicBody(request: ChatRequest, maxTokensDefault: number) {
  const system = request.messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  return {
    model: request.model,
    ...(system && { system }),
    messages: toAnthropicMessages(request.messages),
    max_tokens: request.maxTokens ?? maxTokensDefault,
    ...(request.tools?.length && {
      tools: request.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.parameters,
      })),
    }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
  };
}

/**
 * Anthropic takes only user and assistant turns, strictly alternating, with no empty
 * content: tool results travel as `tool_result` blocks of a user turn, tool calls as
 * `tool_use` blocks of an assistant turn, and consecutive turns of one role are merged.
 */
function toAnthropicMessages(messages: ChatMessage[]): AnthropicMessage[] {
  const turns: { role: "user" | "assistant"; blocks: AnthropicBlock[] }[] = [];
  for (const message of messages) {
    if (message.role === "system") continue;
    const blocks = blocksOf(message);
    if (blocks.length === 0) continue;
    const role = message.role === "assistant" ? "assistant" : "user";
    const last = turns.at(-1);
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  }
  return turns.map(({ role, blocks }) => ({ role, content: contentOf(blocks) }));
}

function blocksOf(message: ChatMessage): AnthropicBlock[] {
  if (message.role === "tool") {
    return [
      { type: "tool_result", tool_use_id: message.toolCallId ?? "", content: message.content },
    ];
  }
  const blocks: AnthropicBlock[] = message.content ? [{ type: "text", text: message.content }] : [];
  for (const call of message.toolCalls ?? []) {
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input: call.arguments });
  }
  return blocks;
}

/** Tool results must come first in a user turn (Anthropic's tool-use guide); lone text stays a string. */
function contentOf(blocks: AnthropicBlock[]): string | AnthropicBlock[] {
  const ordered = [
    ...blocks.filter((b) => b.type === "tool_result"),
    ...blocks.filter((b) => b.type !== "tool_result"),
  ];
  const [only] = ordered;
  return ordered.length === 1 && only?.type === "text" ? only.text : ordered;
}

export function fromAnthropicAnswer(
  provider: string,
  requestModel: string,
  answer: AnthropicAnswer,
): ChatResponse {
  const content = answer.content ?? [];
  return {
    provider,
    model: answer.model ?? requestModel,
    text: content.map((b) => (b.type === "text" ? b.text : "")).join(""),
    toolCalls: content.flatMap((b) =>
      b.type === "tool_use" ? [{ id: b.id, name: b.name, arguments: b.input ?? {} }] : [],
    ),
    usage: fromAnthropicUsage(answer.usage),
    finishReason: answer.stop_reason ?? "",
  };
}

export function fromAnthropicUsage(usage: AnthropicUsage | undefined) {
  return { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 };
}
