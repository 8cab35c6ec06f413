import type { DetectContext, Detector, DetectorKind } from "./detector.ts";
import { detectorKinds } from "./detectors/index.ts";
import type { Action, Decision, Finding, GuardInput } from "./finding.ts";
import { type FoldedText, foldText } from "./fold-text.ts";
import { ACTION_PRECEDENCE, type Policy, type Rule } from "./policy-schema.ts";
import { type RedactionSpan, redactSpans } from "./redact-spans.ts";

export interface Guard {
  readonly policy: Policy;
  /** Synchronous and pure: the same input always gives the same decision. */
  check(input: GuardInput): Decision;
}

interface CompiledRule {
  rule: Rule;
  detector: Detector;
}

export function createGuard(policy: Policy): Guard {
  const compiled: CompiledRule[] = policy.rules.map((rule) => ({
    rule,
    detector: (detectorKinds[rule.detector] as DetectorKind).create(rule.options),
  }));
  return {
    policy,
    check(input) {
      const context = detectContext(input);
      const findings: Finding[] = [];
      const fired: Rule[] = [];
      for (const { rule, detector } of compiled) {
        if (!applies(rule, input)) continue;
        const detections = detector.detect(input.text, context);
        if (detections.length === 0) continue;
        fired.push(rule);
        for (const d of detections) findings.push({ ...d, rule: rule.id });
      }
      findings.sort((a, b) => a.start - b.start || a.end - b.end);
      return decide(policy, input.text, fired, findings);
    },
  };
}

function applies(rule: Rule, input: GuardInput): boolean {
  if (!rule.directions.includes(input.direction)) return false;
  return rule.channels === undefined || rule.channels.includes(input.channel);
}

function detectContext(input: GuardInput): DetectContext {
  let folded: FoldedText | undefined;
  return {
    direction: input.direction,
    channel: input.channel,
    firstOutbound: input.context?.firstOutbound === true,
    get folded() {
      folded ??= foldText(input.text);
      return folded;
    },
  };
}

function decide(policy: Policy, text: string, fired: Rule[], findings: Finding[]): Decision {
  const action = strongest(fired);
  const winner = fired.find((r) => r.action === action);
  const redacted = applyRedaction(text, fired, findings);
  const rule = winner && { rule: winner.id };
  if (action === "block") {
    const reply = winner?.reply ?? policy.safeReply;
    return { action, ...rule, text: "", redacted, reply, findings };
  }
  if (action === "fallback") {
    const reply = winner?.reply ?? policy.fallbackReply ?? policy.safeReply;
    return { action, ...rule, text: "", redacted, reply, findings };
  }
  return { action, ...rule, text: redacted, redacted, findings };
}

/** The text with every redact rule's spans replaced, whichever action won. */
function applyRedaction(text: string, fired: Rule[], findings: Finding[]): string {
  const redacting = new Map(fired.filter((r) => r.action === "redact").map((r) => [r.id, r]));
  if (redacting.size === 0) return text;
  const spans: RedactionSpan[] = [];
  for (const f of findings) {
    const rule = redacting.get(f.rule);
    if (rule) spans.push({ start: f.start, end: f.end, type: f.type, ...rule.redact });
  }
  return redactSpans(text, spans);
}

function strongest(fired: Rule[]): Action {
  for (const action of ACTION_PRECEDENCE) {
    if (fired.some((r) => r.action === action)) return action;
  }
  return "allow";
}
