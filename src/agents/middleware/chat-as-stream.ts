import type { ChatChunk, ChatProvider, ChatRequest } from "../providers/chat-provider.ts";

/** Streams from `provider`, or, when it cannot stream, its whole answer as one chunk. */
export async function* chatAsStream(
  provider: ChatProvider,
  request: ChatRequest,
): AsyncGenerator<ChatChunk> {
  if (provider.stream) {
    yield* provider.stream(request);
    return;
  }
  const response = await provider.chat(request);
  if (response.text) yield { type: "text", text: response.text };
  yield { type: "done", response };
}
