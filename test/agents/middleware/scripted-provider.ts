import {
  type ChatChunk,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  ProviderError,
} from "../../../src/agents/providers/chat-provider.ts";

/**
 * What one call does: answer (streamed as `chunks` when given), fail, or wait for its
 * signal to abort. `after` is what a stream does after its chunks.
 */
export type Step =
  | { reply: string }
  | { chunks: string[]; after?: Step }
  | { error: Error }
  | { hang: true };

/** A fake provider playing `steps` one per call, repeating the last one when done. */
export interface ScriptedProvider extends ChatProvider {
  readonly requests: ChatRequest[];
  readonly stream: (request: ChatRequest) => AsyncGenerator<ChatChunk>;
}

export function scriptedProvider(name: string, steps: Step[]): ScriptedProvider {
  const requests: ChatRequest[] = [];
  const next = (request: ChatRequest) => {
    requests.push(request);
    return steps[Math.min(requests.length, steps.length) - 1]!;
  };
  return {
    name,
    requests,
    async chat(request) {
      const step = next(request);
      if ("chunks" in step) return response(name, step.chunks.join(""));
      if ("reply" in step) return response(name, step.reply);
      return fail(step, request);
    },
    async *stream(request) {
      let step = next(request);
      if ("reply" in step) step = { chunks: [step.reply] };
      if (!("chunks" in step)) return await fail(step, request);
      for (const text of step.chunks) yield { type: "text", text };
      if (step.after) return await fail(step.after, request);
      yield { type: "done", response: response(name, step.chunks.join("")) };
    },
  };
}

async function fail(step: Step, request: ChatRequest): Promise<never> {
  if ("error" in step) throw step.error;
  if ("hang" in step) {
    await new Promise((_, reject) => {
      request.signal?.addEventListener("abort", () => reject(request.signal?.reason));
    });
  }
  throw new Error(`not a failing step: ${JSON.stringify(step)}`);
}

export function response(provider: string, text: string): ChatResponse {
  return {
    provider,
    model: `${provider}-model`,
    text,
    toolCalls: [],
    usage: { inputTokens: 3, outputTokens: 5 },
    finishReason: "stop",
  };
}

export const request = (signal?: AbortSignal): ChatRequest => ({
  model: "m",
  messages: [{ role: "user", content: "Where is my parcel?" }],
  signal,
});

export const overloaded = (retryAfterMs?: number) =>
  new ProviderError("overloaded", { provider: "a", retryable: true, status: 429, retryAfterMs });
export const badRequest = () =>
  new ProviderError("bad request", { provider: "a", retryable: false, status: 400 });

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The text of the chunks a stream yielded before it failed, and its error. */
export async function collectUntilError(stream: AsyncIterable<ChatChunk>) {
  const texts: string[] = [];
  try {
    for await (const chunk of stream) if (chunk.type === "text") texts.push(chunk.text);
  } catch (error) {
    return { texts, error };
  }
  throw new Error(`stream did not fail; yielded ${texts.join("")}`);
}
