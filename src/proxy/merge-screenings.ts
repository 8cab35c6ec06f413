import type { Screening } from "../conversations/index.ts";
import { ACTION_PRECEDENCE } from "../guardrails/index.ts";

/** One screened piece of a longer text, starting `offset` characters into the original. */
export interface ScreenedPart {
  screening: Screening;
  offset: number;
}

/**
 * One screening for a text checked piece by piece (stream sentences, content parts): the
 * strongest action wins as in the engine, and findings are moved to positions in the
 * whole original text so the audit record reads like a single check.
 */
export function mergeScreenings(parts: readonly ScreenedPart[], separator: string): Screening {
  const action =
    ACTION_PRECEDENCE.find((a) => parts.some((p) => p.screening.action === a)) ?? "allow";
  const winner = parts.find((p) => p.screening.action === action)?.screening;
  const findings = parts.flatMap(({ screening, offset }) =>
    screening.findings.map((f) => ({ ...f, start: f.start + offset, end: f.end + offset })),
  );
  return {
    action,
    ...(winner?.rule ? { rule: winner.rule } : {}),
    text: parts.map((p) => p.screening.text).join(separator),
    redacted: parts.map((p) => p.screening.redacted).join(separator),
    ...(winner?.reply ? { reply: winner.reply } : {}),
    findings,
  };
}
