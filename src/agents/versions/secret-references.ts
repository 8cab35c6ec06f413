import type { AgentDocument } from "./agent-document.ts";

/** A secret a document names, and the field naming it. */
export interface SecretReference {
  path: (string | number)[];
  name: string;
}

/** Every secret `doc` names: its provider's and fallbacks' API keys, its HTTP tools' tokens. */
export function secretReferences(doc: AgentDocument): SecretReference[] {
  const references: SecretReference[] = [];
  const providers = [
    { path: ["provider"], provider: doc.provider },
    ...(doc.fallbacks ?? []).map((provider, i) => ({ path: ["fallbacks", i], provider })),
  ];
  for (const { path, provider } of providers) {
    if (provider.apiKeySecret) {
      references.push({ path: [...path, "apiKeySecret"], name: provider.apiKeySecret });
    }
  }
  doc.tools.forEach((tool, i) => {
    if (tool.type === "http" && tool.authSecret) {
      references.push({ path: ["tools", i, "authSecret"], name: tool.authSecret });
    }
  });
  return references;
}

/** What a reference to an undeclared secret is told: the names it may use, never values. */
export function undeclaredSecret(name: string, declared: readonly string[]): string {
  const known =
    declared.length > 0 ? `declared secrets: ${declared.join(", ")}` : "no secrets are declared";
  return `secret "${name}" is not declared under secrets: in mainstay.yaml (${known})`;
}
