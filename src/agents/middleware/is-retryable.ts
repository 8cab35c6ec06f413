import { ProviderError } from "../providers/chat-provider.ts";

/** A transient provider failure (408/429/5xx, network, timeout, open circuit): worth another try. */
export function isRetryable(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.options.retryable;
}
