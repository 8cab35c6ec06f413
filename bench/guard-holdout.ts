/**
 * The default policy on bench/fixtures/guard-holdout/cases.jsonl, a set written blind (no
 * detector, model or training text seen) and never trained or tuned on: the figures that
 * say how the guardrails do on text nobody fitted them to. Part of `npm run bench --
 * guardrails`; `npx tsx bench/guard-holdout.ts` prints it alone.
 */
import { readFileSync } from "node:fs";
import { createGuard, defaultPolicy, type Finding } from "../src/guardrails/index.ts";

interface HoldoutCase {
  model: "injection" | "abuse" | "commitment";
  category: string;
  text: string;
  labels: string[];
}

/** Which default-policy rules answer for each model's labels, and in which direction. */
const RULES = {
  injection: { direction: "inbound", rules: ["injection-block", "injection-model-block"] },
  abuse: {
    direction: "inbound",
    rules: [
      "toxicity-inbound-tag",
      "abuse-model-inbound-tag",
      "self-harm-phrases-escalate",
      "self-harm-escalate",
    ],
  },
  commitment: {
    direction: "outbound",
    rules: ["commitment-escalate", "commitment-model-escalate"],
  },
} as const;

/** The labels of the abuse targets that the rule detector's categories stand for. */
const RULE_CATEGORY_LABEL: Record<string, string> = {
  profanity: "profanity",
  threat: "threat",
  self_harm: "self_harm",
};

export function loadHoldout(): HoldoutCase[] {
  return readFileSync(new URL("./fixtures/guard-holdout/cases.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HoldoutCase);
}

function labelsOf(c: HoldoutCase, findings: Finding[]): Set<string> {
  const rules: readonly string[] = RULES[c.model].rules;
  const found = new Set<string>();
  for (const f of findings) {
    if (!rules.includes(f.rule)) continue;
    if (c.model !== "abuse") {
      found.add(c.model);
      continue;
    }
    const evidence = f.evidence as { label?: string; category?: string };
    const label = evidence.label ?? RULE_CATEGORY_LABEL[evidence.category ?? ""];
    if (label) found.add(label);
  }
  return found;
}

interface Tally {
  positives: number;
  caught: number;
  negatives: number;
  flagged: number;
}

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

/**
 * Per model and label: recall on the cases that carry the label and the share flagged of
 * those that do not; per category, how many of its cases the label was found in.
 */
export function holdoutScores(cases = loadHoldout()) {
  const guard = createGuard(defaultPolicy());
  const labelsByModel = {
    injection: ["injection"],
    abuse: ["hate", "profanity", "threat", "self_harm"],
    commitment: ["commitment"],
  };
  const result: Record<string, unknown> = {};
  for (const [model, labels] of Object.entries(labelsByModel)) {
    const own = cases.filter((c) => c.model === model);
    const found = own.map((c) => {
      const direction = RULES[c.model].direction;
      return labelsOf(c, guard.check({ direction, channel: "webchat", text: c.text }).findings);
    });
    const perLabel: Record<string, unknown> = {};
    for (const label of labels) {
      const t: Tally = { positives: 0, caught: 0, negatives: 0, flagged: 0 };
      const byCategory: Record<string, { cases: number; found: number }> = {};
      own.forEach((c, i) => {
        const hit = found[i]!.has(label);
        if (c.labels.includes(label)) {
          t.positives++;
          if (hit) t.caught++;
        } else {
          t.negatives++;
          if (hit) t.flagged++;
        }
        const row = byCategory[c.category] ?? { cases: 0, found: 0 };
        byCategory[c.category] = row;
        row.cases++;
        if (hit) row.found++;
      });
      perLabel[label] = {
        recall: rate(t.caught, t.positives),
        flaggedWithout: rate(t.flagged, t.negatives),
        ...t,
        byCategory,
      };
    }
    result[model] = perLabel;
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(holdoutScores(), null, 2));
}
