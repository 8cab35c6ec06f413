import type { Clock } from "../../shared/clock.ts";
import { describeError } from "../../shared/errors.ts";
import type { ChatProvider, ChatRequest, ChatResponse } from "../providers/chat-provider.ts";
import { ProviderError } from "../providers/chat-provider.ts";

type Link = { provider: string; model: string };

/**
 * Records each call that reaches `provider` on the request's turn trace: which provider and
 * model, how it ended and how long it took. Put it inside the retries, around the timeout, so
 * every attempt, a timed-out one included, is one step.
 */
export function withAttemptTrace(
  provider: ChatProvider,
  model: string,
  clock: Clock,
): ChatProvider {
  const link = { provider: provider.name, model };
  const stream = provider.stream?.bind(provider);
  return {
    name: provider.name,
    async chat(request) {
      const started = clock.now();
      try {
        const response = await provider.chat(request);
        succeeded(request, link, response, clock.now() - started);
        return response;
      } catch (error) {
        failed(request, link, error, clock.now() - started);
        throw error;
      }
    },
    ...(stream && {
      async *stream(request: ChatRequest) {
        const started = clock.now();
        try {
          for await (const chunk of stream(request)) {
            if (chunk.type === "done")
              succeeded(request, link, chunk.response, clock.now() - started);
            yield chunk;
          }
        } catch (error) {
          failed(request, link, error, clock.now() - started);
          throw error;
        }
      },
    }),
  };
}

/**
 * Records a call its circuit breaker refused (nothing was sent) as a skipped step. Put it
 * around the breaker.
 */
export function withSkipTrace(provider: ChatProvider, model: string): ChatProvider {
  const link = { provider: provider.name, model };
  const stream = provider.stream?.bind(provider);
  const skipped = (request: ChatRequest, error: unknown) => {
    if (error instanceof ProviderError && error.options.code === "circuit_open") {
      request.trace?.step({
        kind: "provider",
        ...link,
        outcome: "skipped",
        ms: 0,
        error: "circuit_open",
      });
    }
  };
  return {
    name: provider.name,
    async chat(request) {
      try {
        return await provider.chat(request);
      } catch (error) {
        skipped(request, error);
        throw error;
      }
    },
    ...(stream && {
      async *stream(request: ChatRequest) {
        try {
          yield* stream(request);
        } catch (error) {
          skipped(request, error);
          throw error;
        }
      },
    }),
  };
}

function succeeded(request: ChatRequest, link: Link, response: ChatResponse, ms: number) {
  const { inputTokens: input, outputTokens: output } = response.usage;
  request.trace?.step({ kind: "provider", ...link, outcome: "ok", ms, tokens: { input, output } });
}

function failed(request: ChatRequest, link: Link, error: unknown, ms: number) {
  request.trace?.step({
    kind: "provider",
    ...link,
    outcome: "error",
    ms,
    error: describeError(error),
  });
}
