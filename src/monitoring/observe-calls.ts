import type { ChatProvider, ChatRequest, ChatResponse } from "../agents/providers/index.ts";

/** What one observer does around each provider call; `start`'s value is handed to `end`. */
export interface CallObserver<S> {
  start(request: ChatRequest): S;
  /** Once per call: with the response, or with the error it failed with. */
  end(state: S, outcome: { response: ChatResponse } | { error: unknown }): void;
}

/** The provider with `observer` around every call, answered whole or streamed. */
export function observeCalls<S>(provider: ChatProvider, observer: CallObserver<S>): ChatProvider {
  const stream = provider.stream?.bind(provider);
  return {
    name: provider.name,
    async chat(request) {
      const state = observer.start(request);
      try {
        const response = await provider.chat(request);
        observer.end(state, { response });
        return response;
      } catch (error) {
        observer.end(state, { error });
        throw error;
      }
    },
    ...(stream && {
      async *stream(request: ChatRequest) {
        const state = observer.start(request);
        let outcome: { response: ChatResponse } | { error: unknown } | undefined;
        try {
          for await (const chunk of stream(request)) {
            if (chunk.type === "done") outcome = { response: chunk.response };
            yield chunk;
          }
        } catch (error) {
          outcome = { error };
          throw error;
        } finally {
          // A consumer that stops early ends the call without a final response.
          observer.end(state, outcome ?? { error: new Error("stream ended early") });
        }
      },
    }),
  };
}
