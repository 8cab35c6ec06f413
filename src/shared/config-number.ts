import { z } from "zod";

/**
 * A config number that may also come from `${VAR}` interpolation, which yields text:
 * "8080" becomes 8080; anything that is not a number stays as it is and fails validation.
 */
export const configNumber = (schema: z.ZodNumber) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    schema,
  );
