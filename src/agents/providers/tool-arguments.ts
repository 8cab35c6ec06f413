/**
 * A tool call's arguments arrive as JSON text the model wrote, which may be empty or
 * broken; broken text is kept as `{ _raw }` so the agent (or a guardrail) can see it.
 */
export function parseToolArguments(json: string): Record<string, unknown> {
  if (json.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(json);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON: fall through and keep the text.
  }
  return { _raw: json };
}
