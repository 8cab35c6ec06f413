import { z } from "zod";
import type { DetectorDefinition } from "./detector.ts";
import { detectorDefinitions } from "./detectors/index.ts";

/** Strongest first: the decision takes the strongest action among the rules that fired. */
export const ACTION_PRECEDENCE = [
  "block",
  "escalate",
  "fallback",
  "redact",
  "tag",
  "allow",
] as const;

const DIRECTIONS = ["inbound", "outbound"] as const;

const redactOptions = z
  .object({
    style: z
      .enum(["placeholder", "mask"])
      .default("placeholder")
      .describe("placeholder: `[CARD]`, `[EMAIL]`...; mask: each character becomes `*`."),
    keepLast: z
      .number()
      .int()
      .min(0)
      .max(4)
      .default(0)
      .describe("With mask: leave this many trailing letters or digits visible."),
  })
  .strict();

function ruleFor<S extends z.ZodType, N extends string>(detector: DetectorDefinition<S, N>) {
  return z
    .object({
      id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, _ . -"),
      description: z.string().optional(),
      detector: z.literal(detector.name),
      options: detector.options.prefault({} as z.input<S>),
      directions: z
        .array(z.enum(DIRECTIONS))
        .min(1)
        .default([...DIRECTIONS]),
      channels: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .describe("Channel names the rule applies to; omitted means every channel."),
      action: z.enum(ACTION_PRECEDENCE),
      redact: redactOptions.prefault({}),
      reply: z
        .string()
        .min(1)
        .optional()
        .describe(
          "For block: the safe reply; for fallback: the canned answer. Overrides the policy's.",
        ),
    })
    .strict();
}

/** The rule schema of each registered detector, element by element. */
type RuleSchemas<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends DetectorDefinition<infer S, infer N>
    ? ReturnType<typeof ruleFor<S, N>>
    : never;
};

export const ruleSchema = z.discriminatedUnion(
  "detector",
  detectorDefinitions.map(ruleFor) as unknown as RuleSchemas<typeof detectorDefinitions>,
);

export const guardInputSchema = z
  .object({
    direction: z.enum(DIRECTIONS),
    channel: z.string().min(1),
    text: z.string(),
    context: z
      .object({
        firstOutbound: z.boolean().optional(),
        country: z
          .string()
          .regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code such as DE")
          .optional()
          .describe(
            "The customer's country (from their phone number, say): its national phone formats are tried first.",
          ),
      })
      .strict()
      .optional(),
  })
  .strict();

const caseSchema = z
  .object({
    name: z.string().min(1),
    input: guardInputSchema.extend({ channel: z.string().min(1).default("sms") }),
    expect: z
      .object({
        action: z.enum(ACTION_PRECEDENCE),
        findings: z
          .array(z.string())
          .optional()
          .describe("The exact set of finding types; omitted means not checked."),
        text: z.string().optional().describe("The exact text to deliver."),
      })
      .strict(),
  })
  .strict();

export const policySchema = z
  .object({
    version: z.literal(1).default(1),
    name: z.string().min(1).default("policy"),
    safeReply: z
      .string()
      .min(1)
      .default("Sorry, I can't help with that here. A member of our team will follow up.")
      .describe("Sent instead of a blocked message."),
    fallbackReply: z
      .string()
      .min(1)
      .optional()
      .describe("Canned answer for fallback rules without their own."),
    rules: z.array(ruleSchema),
    cases: z.array(caseSchema).default([]).describe("Examples `mainstay policy test` checks."),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "id"],
          message: `duplicate rule id "${rule.id}"`,
        });
      seen.add(rule.id);
      if (rule.action === "fallback" && !rule.reply && !policy.fallbackReply) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "reply"],
          message: "a fallback rule needs `reply` or the policy's `fallbackReply`",
        });
      }
    });
  });

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type Rule = z.output<typeof ruleSchema>;
export type PolicyCase = Policy["cases"][number];
