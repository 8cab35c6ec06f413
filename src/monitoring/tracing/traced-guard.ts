import type { Guard } from "../../guardrails/index.ts";
import { recordFailure } from "./span-attributes.ts";
import type { Tracing } from "./start-tracing.ts";

/**
 * A `guardrails <direction>` span for each evaluation: the action, the winning rule, the
 * rules that fired and the finding types, never the text unless `captureContent` is on.
 */
export function traceGuard(guard: Guard, tracing: Tracing): Guard {
  return {
    policy: guard.policy,
    check(input) {
      const span = tracing.tracer.startSpan(`guardrails ${input.direction}`, {
        attributes: {
          "mainstay.guardrails.direction": input.direction,
          "mainstay.channel.type": input.channel,
          ...(tracing.captureContent && { "mainstay.guardrails.text": input.text }),
        },
      });
      try {
        const decision = guard.check(input);
        if (span.isRecording()) {
          const { findings } = decision;
          span.setAttributes({
            "mainstay.guardrails.action": decision.action,
            ...(decision.rule && { "mainstay.guardrails.rule": decision.rule }),
            "mainstay.guardrails.rules_fired": [...new Set(findings.map((f) => f.rule))],
            "mainstay.guardrails.finding_types": [...new Set(findings.map((f) => f.type))],
            "mainstay.guardrails.findings": findings.length,
          });
        }
        return decision;
      } catch (e) {
        recordFailure(span, e);
        throw e;
      } finally {
        span.end();
      }
    },
  };
}
