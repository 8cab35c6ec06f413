import type { ChatChunk } from "../providers/chat-provider.ts";

/**
 * Called after attempt number `attempt` (1-based) failed: resolves to try again, or
 * throws (usually `error` itself) to give up.
 */
export type Recover = (error: unknown, attempt: number) => Promise<void>;

/** Runs `attempt(1)`, `attempt(2)`... until one succeeds or `recover` gives up. */
export async function tryInTurn<T>(
  attempt: (n: number) => Promise<T>,
  recover: Recover,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      await recover(error, n);
    }
  }
}

/**
 * The streaming form of `tryInTurn`: a failed stream is replaced only while it has not
 * yielded anything. Once a chunk is out the customer has seen part of an answer, and
 * starting another one would show them two, so later errors propagate as they are.
 */
export async function* streamInTurn(
  attempt: (n: number) => AsyncIterable<ChatChunk>,
  recover: Recover,
): AsyncGenerator<ChatChunk> {
  for (let n = 1; ; n++) {
    let started = false;
    try {
      for await (const chunk of attempt(n)) {
        started = true;
        yield chunk;
      }
      return;
    } catch (error) {
      if (started) throw error;
      await recover(error, n);
    }
  }
}
