import type { Span, SpanOptions, Tracer } from "@opentelemetry/api";
import { recordFailure } from "./span-attributes.ts";

/**
 * Runs `fn` in a new span, active for everything it calls (their spans are its children),
 * which ends with it and is marked failed when it throws.
 */
export function inActiveSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}
