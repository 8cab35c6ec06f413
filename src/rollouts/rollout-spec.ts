import { z } from "zod";
import { MainstayError } from "../shared/errors.ts";
import { formatPath } from "../shared/format-path.ts";
import { parseYamlSource, problemsError, zodProblems } from "../shared/yaml-source.ts";

const INVALID = "MS_ROLLOUT_INVALID";

/**
 * Rate signals: the share of conversations on a version where it happened. `violation` is
 * any reply the outbound policy acted on; `violation:<type>` one finding type; `handoff` an
 * escalation to a person; `error` a provider error or fallback; `negative_feedback` a CSAT
 * of 1-2 or a thumbs down; `event:<name>` a business event the operator's systems posted;
 * `quality` a sampled conversation the live-quality judge scored below `quality.badBelow`
 * (docs/live-quality.md).
 */
const rateMetric = z
  .string()
  .regex(
    /^(violation|handoff|error|negative_feedback|quality|violation:[a-z0-9_]+|event:[A-Za-z0-9_.-]+)$/,
    "violation, violation:<finding type>, handoff, error, negative_feedback, quality or event:<name>",
  );

const rateGate = z
  .object({
    metric: rateMetric,
    /**
     * Promote a step only once the candidate is shown not worse than the baseline by this
     * much (absolute difference of rates); omit to gate on harm alone.
     */
    margin: z.number().min(0).max(1).optional(),
    /** Roll back once the candidate's rate is shown above this, whatever the baseline does. */
    max: z.number().min(0).max(1).optional(),
  })
  .strict();

const valueGate = z
  .object({
    metric: z.enum(["latency_p95_ms", "cost_per_conversation"]),
    /** Roll back when the candidate's value is above this once `minTurns` turns are in. */
    max: z.number().positive(),
    minTurns: z.number().int().min(1).default(20),
  })
  .strict();

/** Percent strings (`5%`) or fractions (`0.05`). */
const share = z.union([
  z.number().gt(0).max(1),
  z
    .string()
    .regex(/^\d+(\.\d+)?%$/, 'a fraction such as 0.05 or a percentage such as "5%"')
    .transform((s) => Number(s.slice(0, -1)) / 100)
    .pipe(z.number().gt(0, "more than 0%").max(1, "at most 100%")),
]);

const shadowStep = z
  .object({
    /** The candidate answers every new conversation in parallel, unsent, this many times. */
    shadow: z.number().int().min(1),
  })
  .strict();

const canaryStep = z
  .object({
    /** The candidate's share of new conversations (sticky per conversation). */
    canary: share,
    /** Candidate conversations started in this step before it can be promoted. */
    minConversations: z.number().int().min(1).optional(),
    /** Time the step runs at least, in minutes. */
    minMinutes: z.number().min(0).default(0),
  })
  .strict();

export const rolloutSpecSchema = z
  .object({
    agent: z.string().min(1),
    /** Defaults to the agent's active version. */
    baseline: z.string().min(1).optional(),
    candidate: z.string().min(1),
    steps: z.array(z.union([shadowStep, canaryStep])).min(1),
    gates: z.array(z.union([rateGate, valueGate])).default([
      { metric: "violation", margin: 0.02 },
      { metric: "handoff", margin: 0.05 },
      { metric: "error", margin: 0.02 },
    ]),
    /** Error rate of every statistical decision (false rollback, false promotion). */
    alpha: z.number().gt(0).max(0.2).default(0.05),
    /** Candidate conversations per canary step before promotion (a step can override it). */
    minConversations: z.number().int().min(1).default(100),
    /** `rollback` (default) sends everything back to the baseline; `pause` waits for a person. */
    onFailure: z.enum(["rollback", "pause"]).default("rollback"),
    /** Promote steps automatically (default), or only with `rollout promote`. */
    autoPromote: z.boolean().default(true),
    /** Require a passing evaluation of the candidate before the first step. */
    requireEval: z.boolean().default(false),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.baseline !== undefined && spec.baseline === spec.candidate) {
      ctx.addIssue({ code: "custom", path: ["candidate"], message: "same as the baseline" });
    }
    const seen = new Set<string>();
    spec.gates.forEach((gate, i) => {
      if (seen.has(gate.metric)) {
        ctx.addIssue({ code: "custom", path: ["gates", i, "metric"], message: "listed twice" });
      }
      seen.add(gate.metric);
    });
  });

export type RolloutSpec = z.output<typeof rolloutSpecSchema>;
export type RolloutStep = RolloutSpec["steps"][number];
export type RateGate = z.output<typeof rateGate>;
export type ValueGate = z.output<typeof valueGate>;

export const isShadowStep = (step: RolloutStep): step is z.output<typeof shadowStep> =>
  "shadow" in step;

/** A rollout document from a YAML file: every problem named with its line and field. */
export function parseRolloutYaml(text: string, file: string): RolloutSpec {
  const { doc, locate } = parseYamlSource(text, file, INVALID);
  const parsed = rolloutSpecSchema.safeParse(doc.toJS());
  if (!parsed.success) throw problemsError(INVALID, zodProblems(parsed.error, file, locate));
  return parsed.data;
}

/** A rollout from an API body: problems named by field. */
export function parseRolloutBody(body: unknown): RolloutSpec {
  const parsed = rolloutSpecSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    return `${formatPath(path) || "body"}: ${issue.message}`;
  });
  throw new MainstayError(INVALID, lines.join("\n"), 400, parsed.error.issues);
}
