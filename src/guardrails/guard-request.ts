import { z } from "zod";
import type { Decision } from "./finding.ts";
import { guardInputSchema } from "./policy-schema.ts";

/** One message to check, as `mainstay guard` reads it and `POST /api/v1/guard` takes it. */
export const guardRequestSchema = guardInputSchema.extend({
  id: z.union([z.string(), z.number()]).optional(),
});
export type GuardRequest = z.output<typeof guardRequestSchema>;

export interface GuardResponse {
  id: string | number | null;
  action: Decision["action"];
  text: string;
  reply?: string;
  findings: { type: string; start: number; end: number; rule: string; score: number }[];
}

/** The wire form of a decision: evidence stays in the audit record, not on the wire. */
export function toGuardResponse(id: GuardRequest["id"], decision: Decision): GuardResponse {
  return {
    id: id ?? null,
    action: decision.action,
    text: decision.text,
    ...(decision.reply === undefined ? {} : { reply: decision.reply }),
    findings: decision.findings.map(({ type, start, end, rule, score }) => ({
      type,
      start,
      end,
      rule,
      score,
    })),
  };
}

/** zod issues as one line a user can act on: `text: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}
