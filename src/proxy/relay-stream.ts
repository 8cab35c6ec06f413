import { openAIError } from "./openai-error.ts";
import type { StreamOutcome, StreamScreen } from "./screen-stream.ts";
import type { UpstreamStream } from "./upstream.ts";

/** How long the rest of an upstream body may take once the client's answer is whole. */
const DRAIN_MS = 1000;

/**
 * The SSE frames the client gets for an upstream stream (`events`, its body read as
 * server-sent events), `screen` applied; `onEnd` hears what was sent once the stream is
 * over, whichever way it ended. A broken upstream ends the client's stream with an
 * `upstream_stream_failed` error event.
 */
export async function* relayStream(
  upstream: UpstreamStream,
  events: AsyncGenerator<{ data: string }>,
  screen: StreamScreen,
  hooks: { onUpstreamError(err: unknown): void; onEnd(outcome: StreamOutcome): void },
): AsyncGenerator<string> {
  let ended = false;
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) {
        ended = true;
        yield* screen.end();
        break;
      }
      yield* screen.accept(next.value.data);
      if (screen.finished) break;
    }
  } catch (err) {
    hooks.onUpstreamError(err);
    yield screen.stop(
      openAIError("upstream stream failed", "upstream_error", "upstream_stream_failed"),
    );
  } finally {
    if (ended) upstream.release();
    else if (screen.completed) void readToEnd(events, upstream);
    else {
      upstream.cancel();
      void events.return(undefined);
    }
    hooks.onEnd(screen.outcome());
  }
}

/**
 * After `[DONE]` the client's stream ends at once, and what is left of the upstream body
 * (the end of its chunked encoding) is read here: a body cancelled before its end closes
 * the connection, so the next stream would open a new one (TCP, TLS, the egress lookup).
 * An upstream that goes on sending is cut after `DRAIN_MS`.
 */
async function readToEnd(events: AsyncGenerator<unknown>, upstream: UpstreamStream) {
  const timer = setTimeout(upstream.cancel, DRAIN_MS);
  try {
    while (!(await events.next()).done);
  } catch {
    // Cut or broken after the answer was complete: nothing left to keep.
  } finally {
    clearTimeout(timer);
    upstream.release();
  }
}
