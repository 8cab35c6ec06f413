import { createHash } from "node:crypto";
import type { AgentDocument } from "./agent-document.ts";

/**
 * JSON with object keys sorted at every depth (array order is kept: it is meaningful), so
 * the same document gives the same bytes whatever the key order or layout of its YAML.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * A version id from the parsed document (defaults filled in): `v_` and the first 12 hex
 * digits of the SHA-256 of its canonical JSON. Equal documents share one version.
 */
export function versionOf(doc: AgentDocument): string {
  return `v_${createHash("sha256").update(canonicalJson(doc)).digest("hex").slice(0, 12)}`;
}
