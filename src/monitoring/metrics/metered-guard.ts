import type { Decision, Guard, GuardInput } from "../../guardrails/index.ts";
import { boundedLabel } from "./bounded-label.ts";
import type { MainstayMetrics } from "./mainstay-metrics.ts";

/**
 * The guard with every evaluation timed and counted: the winning action, each finding
 * by type with the action of the rule that found it, and each model-tier call by rule and
 * outcome (a cache hit is `cached`). Nothing of the text is recorded.
 */
export function meterGuard(guard: Guard, metrics: MainstayMetrics): Guard {
  const actionOf = new Map(guard.policy.rules.map((rule) => [rule.id, rule.action]));
  // Detector types are a closed set but `topic.<name>` comes from the policy.
  const typeLabel = boundedLabel(100);
  const record = (input: GuardInput, decision: Decision, started: number): Decision => {
    const { direction } = input;
    metrics.guardrailDuration.observe({ direction }, (performance.now() - started) / 1000);
    metrics.guardrailDecisions.inc({ direction, action: decision.action });
    for (const finding of decision.findings) {
      const action = actionOf.get(finding.rule) ?? decision.action;
      metrics.guardrailFindings.inc({ direction, type: typeLabel(finding.type), action });
    }
    for (const { rule, outcome, ms } of decision.classifiers ?? []) {
      metrics.guardrailClassifierCalls.inc({ rule, outcome });
      if (outcome !== "cached" && outcome !== "skipped")
        metrics.guardrailClassifierDuration.observe({ rule }, ms / 1000);
    }
    return decision;
  };
  return {
    policy: guard.policy,
    check(input) {
      const started = performance.now();
      return record(input, guard.check(input), started);
    },
    async screen(input) {
      const started = performance.now();
      return record(input, await guard.screen(input), started);
    },
  };
}
