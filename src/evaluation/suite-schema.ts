import { z } from "zod";
import { agentDocumentSchema } from "../agents/versions/index.ts";

/** One item or a non-empty list of them, read as a list. */
export const oneOrMany = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

/** A JavaScript regular expression (matched case-insensitively), checked when the suite loads. */
export const regex = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source, "iu");
  } catch (e) {
    ctx.addIssue({ code: "custom", message: `not a regular expression: ${(e as Error).message}` });
  }
});

const toolCall = z
  .union([
    z.string().min(1),
    z
      .object({
        name: z.string().min(1),
        /** Every field given must be in the call's arguments, with an equal value. */
        arguments: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
  ])
  .transform((v) => (typeof v === "string" ? { name: v } : v));

const similarTo = z
  .union([
    z.string().min(1),
    z
      .object({
        text: z.string().min(1),
        /** Lowest lexical similarity (0..1) that passes. */
        min: z.number().min(0).max(1).default(0.5),
      })
      .strict(),
  ])
  .transform((v) => (typeof v === "string" ? { text: v, min: 0.5 } : v));

const action = z.enum(["allow", "block", "redact", "escalate", "fallback", "tag"]);

/**
 * What a turn (or a whole conversation) must show; every key given is checked. Documented
 * one by one in docs/evaluation.md, which says how each reads at conversation level.
 */
export const expectationSchema = z
  .object({
    contains: oneOrMany(z.string().min(1)).optional(),
    not_contains: oneOrMany(z.string().min(1)).optional(),
    regex: oneOrMany(regex).optional(),
    no_findings: z.literal(true).optional(),
    finding: oneOrMany(z.string().min(1)).optional(),
    action: action.optional(),
    /** true or false: handed off or not; a string: handed off for that reason. */
    handoff: z.union([z.boolean(), z.string().min(1)]).optional(),
    tool_called: oneOrMany(toolCall).optional(),
    max_latency_ms: z.number().min(0).optional(),
    /** USD. */
    max_cost: z.number().min(0).optional(),
    similar_to: similarTo.optional(),
    /** Read by the LLM judge; skipped with a note when the suite has no `judge`. */
    rubric: z.string().min(1).optional(),
  })
  .strict();

export type Expectation = z.infer<typeof expectationSchema>;

/** What `lookup_contact` tells the agent about the customer of a case. */
const contactSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** Channel types the customer has used (the case's own channel is added). */
    channels: z.array(z.string().min(1)).optional(),
  })
  .strict();

const turnSchema = z
  .object({
    customer: z.string().min(1),
    expect: expectationSchema.optional(),
  })
  .strict();

const caseSchema = z
  .object({
    name: z.string().min(1),
    /** Channel type the customer writes on; policies scope rules by it. */
    channel: z.string().min(1).optional(),
    contact: contactSchema.optional(),
    turns: z.array(turnSchema).min(1),
    /** Checked on the whole conversation once every turn ran. */
    expect: expectationSchema.optional(),
  })
  .strict();

export const judgeSchema = agentDocumentSchema.shape.provider;

export const suiteSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    /** The mainstay.yaml (relative to the suite) whose agent, policy and database it runs with. */
    config: z.string().min(1).optional(),
    /** Default channel type of the cases. */
    channel: z.string().min(1).default("webchat"),
    /** The model that grades `rubric` assertions (the provider block of an agent document). */
    judge: judgeSchema.optional(),
    gate: z
      .object({
        /** Share of cases (0..1) that must pass; with a baseline, no case may regress either. */
        minPassRate: z.number().min(0).max(1).default(1),
      })
      .strict()
      .prefault({}),
    cases: z.array(caseSchema).min(1),
  })
  .strict()
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    suite.cases.forEach((c, i) => {
      if (seen.has(c.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["cases", i, "name"],
          message: "duplicate case name",
        });
      }
      seen.add(c.name);
    });
  });

export type Suite = z.infer<typeof suiteSchema>;
export type SuiteCase = Suite["cases"][number];
export type ContactProfileInput = z.infer<typeof contactSchema>;
export type JudgeProvider = z.infer<typeof judgeSchema>;
