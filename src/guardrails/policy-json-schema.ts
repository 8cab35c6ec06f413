import { z } from "zod";
import { policySchema } from "./policy-schema.ts";

export const POLICY_SCHEMA_ID = "https://mainstay.dev/schemas/policy.schema.json";

/** The published JSON Schema of a policy file (docs/policy.schema.json), for editors and CI. */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    $id: POLICY_SCHEMA_ID,
    title: "Mainstay guardrails policy",
    ...z.toJSONSchema(policySchema, { io: "input", unrepresentable: "any" }),
  };
}
