import type { ChatProvider, ChatResponse } from "../providers/chat-provider.ts";
import { chatAsStream } from "./chat-as-stream.ts";

/**
 * A provider that always answers `text`: the last link of a fallback chain, so a customer
 * gets an answer (e.g. "We'll get back to you shortly") even when every model is down.
 */
export function cannedReply(text: string, name = "canned"): ChatProvider {
  const chat = async (): Promise<ChatResponse> => ({
    provider: name,
    model: name,
    text,
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    finishReason: "stop",
  });
  return { name, chat, stream: (request) => chatAsStream({ name, chat }, request) };
}
