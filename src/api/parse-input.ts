import type { z } from "zod";
import { MainstayError } from "../shared/errors.ts";

/** Validate a request part with zod; the first problem becomes an MS_BAD_REQUEST naming the field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [part, ...issue.path.map(String)].join(".");
  throw new MainstayError("MS_BAD_REQUEST", `${field}: ${issue.message}`, 400);
}
