import type { z } from "zod";
import { MainstayError } from "./errors.ts";

/**
 * Validate input at the edge (a request part, a webhook body) with zod. The first problem
 * becomes an MS_BAD_REQUEST naming the field, e.g. `query.limit: Too small...`; `part` is
 * the prefix (`query`, `body`), and a problem with the whole value is reported as `body`.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part?: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [part, ...issue.path.map(String)].filter(Boolean).join(".") || "body";
  throw new MainstayError("MS_BAD_REQUEST", `${field}: ${issue.message}`, 400);
}
