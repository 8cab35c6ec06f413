import type {
  DetectContext,
  Detector,
  GuardRuntime,
  ModelDetector,
  ModelVerdict,
} from "./detector.ts";
import { detectorDefinition } from "./detectors/index.ts";
import type { Action, ClassifierRun, Decision, Detection, Finding, GuardInput } from "./finding.ts";
import { type FoldedText, foldText } from "./fold-text.ts";
import { ACTION_PRECEDENCE, type Policy, type Rule } from "./policy-schema.ts";
import { type RedactionSpan, redactSpans } from "./redact-spans.ts";

export interface Guard {
  readonly policy: Policy;
  /**
   * Synchronous and pure: the same input always gives the same decision. Model-tier rules
   * are not asked: each counts as not answering in time (its `onTimeout` applies).
   */
  check(input: GuardInput): Decision;
  /** Every tier: the rules, then the model-tier rules awaited within their budgets. */
  screen(input: GuardInput): Promise<Decision>;
}

interface Compiled<D> {
  rule: Rule;
  detector: D;
}

/** What the rules tier found, before the model tier adds to it. */
interface Evaluation {
  input: GuardInput;
  context: DetectContext;
  fired: Rule[];
  findings: Finding[];
}

export function createGuard(policy: Policy, runtime: GuardRuntime = {}): Guard {
  const rules: Compiled<Detector>[] = [];
  const models: Compiled<ModelDetector>[] = [];
  for (const rule of policy.rules) {
    const detector = detectorDefinition(rule.detector).create(rule.options, runtime);
    if ("tier" in detector) models.push({ rule, detector });
    else rules.push({ rule, detector });
  }
  const evaluate = (input: GuardInput): Evaluation => {
    const evaluation: Evaluation = {
      input,
      context: detectContext(input, runtime),
      fired: [],
      findings: [],
    };
    for (const { rule, detector } of rules) {
      if (applies(rule, input))
        add(evaluation, rule, detector.detect(input.text, evaluation.context));
    }
    return evaluation;
  };
  const modelsFor = (input: GuardInput) => models.filter(({ rule }) => applies(rule, input));
  return {
    policy,
    check(input) {
      const evaluation = evaluate(input);
      const runs = modelsFor(input).map(({ rule, detector }) =>
        addVerdict(evaluation, rule, detector.skipped(input.text)),
      );
      return decide(policy, evaluation, models.length > 0 ? runs : undefined);
    },
    async screen(input) {
      const evaluation = evaluate(input);
      const applicable = modelsFor(input);
      const verdicts = await Promise.all(
        applicable.map(({ detector }) => detector.classify(input.text, evaluation.context)),
      );
      const runs = applicable.map(({ rule }, i) => addVerdict(evaluation, rule, verdicts[i]!));
      return decide(policy, evaluation, models.length > 0 ? runs : undefined);
    },
  };
}

function add(evaluation: Evaluation, rule: Rule, detections: Detection[]): void {
  if (detections.length === 0) return;
  evaluation.fired.push(rule);
  for (const d of detections) evaluation.findings.push({ ...d, rule: rule.id });
}

/** A model that did not answer fires its rule with the rule's `onTimeout` instead. */
function addVerdict(evaluation: Evaluation, rule: Rule, verdict: ModelVerdict): ClassifierRun {
  add(evaluation, verdict.action ? { ...rule, action: verdict.action } : rule, verdict.detections);
  return { rule: rule.id, outcome: verdict.outcome, ms: verdict.ms };
}

function applies(rule: Rule, input: GuardInput): boolean {
  if (!rule.directions.includes(input.direction)) return false;
  return rule.channels === undefined || rule.channels.includes(input.channel);
}

function detectContext(input: GuardInput, runtime: GuardRuntime): DetectContext {
  let folded: FoldedText | undefined;
  let memos: Map<object, unknown> | undefined;
  const traits = runtime.channelTraits?.(input.channel);
  return {
    direction: input.direction,
    channel: input.channel,
    ...(traits && { traits }),
    firstOutbound: input.context?.firstOutbound === true,
    ...(input.context?.country ? { country: input.context.country } : {}),
    get folded() {
      folded ??= foldText(input.text);
      return folded;
    },
    memo<T>(key: object, compute: () => T): T {
      memos ??= new Map();
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
  };
}

function decide(
  policy: Policy,
  { input, fired, findings }: Evaluation,
  classifiers: ClassifierRun[] | undefined,
): Decision {
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  const { text } = input;
  const action = strongest(fired);
  const winner = fired.find((r) => r.action === action);
  const redacted = applyRedaction(text, fired, findings);
  const extra = {
    ...(winner && { rule: winner.id }),
    findings,
    ...(classifiers && { classifiers }),
  };
  if (action === "block") {
    const reply = winner?.reply ?? policy.safeReply;
    return { action, text: "", redacted, reply, ...extra };
  }
  if (action === "fallback") {
    const reply = winner?.reply ?? policy.fallbackReply ?? policy.safeReply;
    return { action, text: "", redacted, reply, ...extra };
  }
  return { action, text: redacted, redacted, ...extra };
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
