import type { Decision, Guard, GuardInput } from "../../guardrails/index.ts";
import { recordFailure } from "./span-attributes.ts";
import type { Tracing } from "./start-tracing.ts";

/**
 * A `guardrails <direction>` span for each evaluation: the action, the winning rule, the
 * rules that fired, the finding types and the model-tier outcomes, never the text unless
 * `captureContent` is on.
 */
export function traceGuard(guard: Guard, tracing: Tracing): Guard {
  return {
    policy: guard.policy,
    check: (input) => traced(tracing, input, () => guard.check(input)),
    screen: (input) => traced(tracing, input, () => guard.screen(input)),
  };
}

function traced<D extends Decision | Promise<Decision>>(
  tracing: Tracing,
  input: GuardInput,
  evaluate: () => D,
): D {
  const span = tracing.tracer.startSpan(`guardrails ${input.direction}`, {
    attributes: {
      "mainstay.guardrails.direction": input.direction,
      "mainstay.channel.type": input.channel,
      ...(tracing.captureContent && { "mainstay.guardrails.text": input.text }),
    },
  });
  const done = (decision: Decision): Decision => {
    if (span.isRecording()) {
      const { findings, classifiers } = decision;
      span.setAttributes({
        "mainstay.guardrails.action": decision.action,
        ...(decision.rule && { "mainstay.guardrails.rule": decision.rule }),
        "mainstay.guardrails.rules_fired": [...new Set(findings.map((f) => f.rule))],
        "mainstay.guardrails.finding_types": [...new Set(findings.map((f) => f.type))],
        "mainstay.guardrails.findings": findings.length,
        ...(classifiers && {
          "mainstay.guardrails.classifiers": classifiers.map((c) => `${c.rule}:${c.outcome}`),
        }),
      });
    }
    span.end();
    return decision;
  };
  const failed = (e: unknown): never => {
    recordFailure(span, e);
    span.end();
    throw e;
  };
  try {
    const decision = evaluate();
    return (decision instanceof Promise ? decision.then(done, failed) : done(decision)) as D;
  } catch (e) {
    return failed(e);
  }
}
