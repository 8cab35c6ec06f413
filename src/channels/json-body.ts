import { MainstayError } from "../shared/errors.ts";

/** The webhook body parsed as JSON; anything else is MS_JSON_INVALID (400). */
export function jsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new MainstayError("MS_JSON_INVALID", "request body is not valid JSON", 400);
  }
}
