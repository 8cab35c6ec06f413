import { z } from "zod";
import {
  expectationSchema,
  judgeSchema,
  oneOrMany,
  regexSchema as regex,
} from "../evaluation/index.ts";

/**
 * The scripted customer: an opening line, then replies picked by what the agent said. Each
 * reply is said at most once; with none matching, the next `otherwise` line; with none
 * left, the customer gives up.
 */
const scriptSchema = z
  .object({
    opening: z.string().min(1),
    replies: z
      .array(
        z
          .object({
            /** Matched against the agent's last reply. */
            when: regex,
            say: z.string().min(1),
            /** The customer leaves satisfied once this is answered. */
            done: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    otherwise: oneOrMany(z.string().min(1)).optional(),
  })
  .strict();

/** Expectations on the whole conversation, each checked on every trial. */
const successSchema = z
  .object({
    /** Tool calls the agent must make; each argument given must equal the call's. */
    tool_calls: expectationSchema.shape.tool_called,
    /** Facts the agent must state: some reply contains each text (case ignored). */
    must_say: oneOrMany(z.string().min(1)).optional(),
    /** Texts no reply may contain. */
    never_say: oneOrMany(z.string().min(1)).optional(),
    /** Tools the agent must not call. */
    never_call: oneOrMany(z.string().min(1)).optional(),
    /** true or false: handed off or not; a string: handed off for that reason. */
    handoff: expectationSchema.shape.handoff,
    /** Statements about the conversation, graded by the judge; skipped without one. */
    assertions: oneOrMany(z.string().min(1)).optional(),
  })
  .strict();

const scenarioSchema = z
  .object({
    name: z.string().min(1),
    /** What the customer wants to get done. */
    goal: z.string().min(1),
    /** What the customer can tell the agent when asked. */
    knows: oneOrMany(z.string().min(1)).optional(),
    /** What the customer does not know (and says so when asked). */
    unknown: oneOrMany(z.string().min(1)).optional(),
    /** How the customer writes and behaves. */
    persona: z.string().min(1).optional(),
    /** Channel type the customer writes on; policies scope rules by it. */
    channel: z.string().min(1).optional(),
    /** The language the customer writes in (a BCP 47 tag or a name). */
    language: z.string().min(1).optional(),
    /** What `lookup_contact` tells the agent. */
    contact: z
      .object({ name: z.string().min(1).optional() })
      .strict()
      .optional(),
    /** Customer messages at most; the conversation ends after them. */
    maxTurns: z.number().int().min(1).max(50).optional(),
    script: scriptSchema.optional(),
    success: successSchema,
  })
  .strict();

export const scenarioFileSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    /** The mainstay.yaml (relative to this file) whose agent, policy and database it runs with. */
    config: z.string().min(1).optional(),
    /** The model that plays the customer (an agent document's provider block). */
    customer: judgeSchema.optional(),
    /** The model that grades `assertions` (an agent document's provider block). */
    judge: judgeSchema.optional(),
    /** Defaults of this file's scenarios. */
    channel: z.string().min(1).default("webchat"),
    language: z.string().min(1).default("en"),
    maxTurns: z.number().int().min(1).max(50).default(8),
    /** A tau2-bench task file (JSON, relative to this file) imported as more scenarios. */
    tau2: z.string().min(1).optional(),
    scenarios: z.array(scenarioSchema).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (file.scenarios.length === 0 && !file.tau2) {
      ctx.addIssue({ code: "custom", path: ["scenarios"], message: "no scenarios (nor tau2)" });
    }
    const seen = new Set<string>();
    file.scenarios.forEach((s, i) => {
      if (seen.has(s.name)) {
        ctx.addIssue({ code: "custom", path: ["scenarios", i, "name"], message: "duplicate name" });
      }
      seen.add(s.name);
    });
  });

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type ScenarioInput = ScenarioFile["scenarios"][number];
export type CustomerScript = NonNullable<ScenarioInput["script"]>;
export type SuccessCriteria = ScenarioInput["success"];

/** A scenario with its file's defaults filled in, as the simulator runs it. */
export interface Scenario extends Omit<ScenarioInput, "channel" | "language" | "maxTurns"> {
  channel: string;
  language: string;
  maxTurns: number;
  /** Where it came from, for reports: `file` or `file#task` for an imported task. */
  source: string;
  /** What an imported task asks that cannot be checked here (see docs/simulation.md). */
  notChecked?: string[];
}
