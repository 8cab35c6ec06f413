import type { AgentDocument } from "./agent-document.ts";

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct `{{name}}` placeholders in a template, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * The system prompt with every `{{name}}` filled: from `extra` (values the runtime knows,
 * such as the contact's name) or else the document's `variables`. Validation guarantees
 * every placeholder is declared in `variables`; names in `extra` the prompt does not use
 * are ignored, so the runtime can offer the same values to every agent.
 */
export function renderPrompt(doc: AgentDocument, extra: Record<string, string> = {}): string {
  return doc.systemPrompt.replace(
    PLACEHOLDER,
    (_match, name: string) => extra[name] ?? doc.variables[name] ?? "",
  );
}
