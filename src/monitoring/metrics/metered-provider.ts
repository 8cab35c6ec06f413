import { type ChatProvider, type ChatUsage, ProviderError } from "../../agents/providers/index.ts";
import { observeCalls } from "../observe-calls.ts";
import { boundedLabel } from "./bounded-label.ts";
import type { MainstayMetrics } from "./mainstay-metrics.ts";

/** USD for `usage` at the price table's rate for `provider/model`, or null when unknown. */
export type CostOf = (usage: ChatUsage, provider: string, model: string) => number | null;

/**
 * A provider client with every call timed and counted by status, its tokens counted and
 * their cost added up. Labelled by the model requested (from the agent document, so a
 * bounded set); the cost is priced by the model that answered, as replies are.
 */
export function meterProvider(
  provider: ChatProvider,
  metrics: MainstayMetrics,
  costOf: CostOf,
): ChatProvider {
  const statusLabel = boundedLabel(30);
  return observeCalls(provider, {
    start: (request) => ({ model: request.model, started: performance.now() }),
    end({ model, started }, outcome) {
      const labels = { provider: provider.name, model };
      metrics.llmDuration.observe(labels, (performance.now() - started) / 1000);
      if ("error" in outcome) {
        metrics.llmCalls.inc({ ...labels, status: statusLabel(errorStatus(outcome.error)) });
        return;
      }
      const { usage, provider: answeredBy, model: answeredWith } = outcome.response;
      metrics.llmCalls.inc({ ...labels, status: "ok" });
      metrics.llmTokens.inc({ ...labels, type: "input" }, usage.inputTokens);
      metrics.llmTokens.inc({ ...labels, type: "output" }, usage.outputTokens);
      const cost = costOf(usage, answeredBy, answeredWith);
      if (cost !== null) metrics.llmCost.inc(labels, cost);
    },
  });
}

/** `timeout`, `network`, a vendor's error code, or `http_<status>`. */
function errorStatus(error: unknown): string {
  if (!(error instanceof ProviderError)) return "error";
  const { code, status } = error.options;
  return code ?? (status === undefined ? "error" : `http_${status}`);
}
