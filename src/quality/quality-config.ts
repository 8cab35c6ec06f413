import { z } from "zod";
import { agentDocumentSchema } from "../agents/versions/index.ts";
import { configNumber } from "../shared/config-number.ts";

/** One thing the judge scores a conversation on, 1-5, stored as 0..1. */
const criterionSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, "lowercase letters, digits and _"),
  /** What a 5 looks like, in the judge's words. */
  description: z.string().min(1),
  /** Its part of the overall score (a weighted mean of the criteria). */
  weight: configNumber(z.number().positive()).default(1),
});

export type RubricCriterion = z.output<typeof criterionSchema>;

/** The rubric the issue asks for (#21): resolution, policy, tone, grounding. */
export const DEFAULT_RUBRIC: RubricCriterion[] = [
  {
    name: "resolution",
    description: "The customer's request was resolved, or correctly handed to a person.",
    weight: 1,
  },
  {
    name: "policy_adherence",
    description:
      "The assistant kept to company policy: no promises it cannot keep, no private data shared, escalated when it should.",
    weight: 1,
  },
  {
    name: "tone",
    description: "Polite, clear and appropriate for customer support; never rude or dismissive.",
    weight: 1,
  },
  {
    name: "factual_grounding",
    description:
      "Every fact the assistant stated agrees with the knowledge base excerpts; nothing invented.",
    weight: 1,
  },
];

/**
 * `quality:` in mainstay.yaml (docs/live-quality.md). Absent: nothing is sampled or judged.
 */
export const qualityConfigSchema = z.strictObject({
  /** The judge model: a provider block as in an agent document (its key a config secret). */
  judge: agentDocumentSchema.shape.provider,
  rubric: z
    .array(criterionSchema)
    .min(1)
    .default(DEFAULT_RUBRIC)
    .superRefine((criteria, ctx) => {
      const seen = new Set<string>();
      criteria.forEach((c, i) => {
        if (seen.has(c.name)) {
          ctx.addIssue({ code: "custom", path: [i, "name"], message: "listed twice" });
        }
        seen.add(c.name);
      });
    }),
  sample: z
    .strictObject({
      /**
       * Share of each version's finished conversations judged besides its escalations and
       * guardrail hits, which are all judged.
       */
      share: configNumber(z.number().min(0).max(1)).default(0.1),
    })
    .prefault({}),
  /** A judged conversation scoring below this overall is bad: the rollout gate `quality`. */
  badBelow: configNumber(z.number().gt(0).max(1)).default(0.5),
  /** Judge calls (and optionally tokens) per UTC day, across every instance. */
  dailyCap: z
    .strictObject({
      calls: configNumber(z.number().int().min(1)).default(500),
      tokens: configNumber(z.number().int().min(1)).optional(),
    })
    .prefault({}),
  /** How often a worker looks for newly finished conversations. */
  intervalSeconds: configNumber(z.number().int().min(10).max(86_400)).default(300),
});

export type QualityConfig = z.output<typeof qualityConfigSchema>;
