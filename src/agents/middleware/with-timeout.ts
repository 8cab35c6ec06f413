import type {
  ChatChunk,
  ChatProvider,
  ChatRequest,
  ChatResponse,
} from "../providers/chat-provider.ts";
import { ProviderError } from "../providers/chat-provider.ts";

export interface TimeoutOptions {
  /** For `chat`, the whole call; for `stream`, the wait for each chunk. Default 30 s. */
  timeoutMs?: number;
}

/**
 * Gives up on a call that takes longer than `timeoutMs`: aborts it (together with the
 * request's own `signal`) and throws a retryable ProviderError with code `timeout`.
 * A stream may run longer in total, as long as no chunk (the first one included) takes
 * more than `timeoutMs` to arrive; the time the consumer spends on a chunk is not counted.
 */
export function withTimeout(provider: ChatProvider, options: TimeoutOptions = {}): ChatProvider {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const stream = provider.stream?.bind(provider);
  const timeout = () =>
    new ProviderError(`${provider.name} timed out after ${timeoutMs} ms`, {
      provider: provider.name,
      retryable: true,
      code: "timeout",
    });
  return {
    name: provider.name,
    chat: (request) => timedChat(provider, request, new Deadline(timeoutMs, timeout, request)),
    ...(stream && {
      stream: (request: ChatRequest) =>
        timedStream(stream, request, new Deadline(timeoutMs, timeout, request)),
    }),
  };
}

async function timedChat(
  provider: ChatProvider,
  request: ChatRequest,
  deadline: Deadline,
): Promise<ChatResponse> {
  try {
    deadline.start();
    return await deadline.race(provider.chat({ ...request, signal: deadline.signal }));
  } finally {
    deadline.stop();
  }
}

async function* timedStream(
  stream: (request: ChatRequest) => AsyncIterable<ChatChunk>,
  request: ChatRequest,
  deadline: Deadline,
): AsyncGenerator<ChatChunk> {
  const chunks = stream({ ...request, signal: deadline.signal })[Symbol.asyncIterator]();
  try {
    for (;;) {
      deadline.start();
      const next = await deadline.race(chunks.next());
      deadline.stop();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    deadline.stop();
    // After a timeout the aborted signal tells the provider to clean up; awaiting
    // `return()` would wait for the very chunk that never came.
    if (!deadline.expired) await chunks.return?.();
  }
}

/** An abort signal that fires `timeoutMs` after each `start()`, unless `stop()`ped first. */
class Deadline {
  private readonly controller = new AbortController();
  private readonly expiry: Promise<never>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly signal: AbortSignal;

  constructor(
    private readonly timeoutMs: number,
    private readonly error: () => ProviderError,
    request: ChatRequest,
  ) {
    const own = this.controller.signal;
    this.signal = request.signal ? AbortSignal.any([request.signal, own]) : own;
    this.expiry = new Promise((_, reject) => {
      own.addEventListener("abort", () => reject(own.reason), { once: true });
    });
    // Rejects whenever the deadline passes, raced or not; `race` reports it.
    this.expiry.catch(() => {});
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  start(): void {
    this.stop();
    this.timer = setTimeout(() => this.controller.abort(this.error()), this.timeoutMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /**
   * Settles with `work`, or with the timeout error once the deadline passes, even when
   * the provider ignores the signal or fails with its own abort error first.
   */
  async race<T>(work: Promise<T>): Promise<T> {
    try {
      return await Promise.race([work, this.expiry]);
    } catch (error) {
      throw this.expired ? this.controller.signal.reason : error;
    }
  }
}
