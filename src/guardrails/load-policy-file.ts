import { readFileSync } from "node:fs";
import { type Document, LineCounter, parseDocument } from "yaml";
import { describeError, MainstayError } from "../shared/errors.ts";
import { type Policy, policySchema } from "./policy-schema.ts";

/** Reads a policy YAML file (a policy document, or `policies:` in mainstay.yaml). */
export function loadPolicyFile(path: string): Policy {
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (e) {
    throw new MainstayError(
      "MS_POLICY_INVALID",
      `${path}: cannot read policy file: ${describeError(e)}`,
    );
  }
  return parsePolicy(source, path);
}

/**
 * Parses and validates policy YAML. Errors name the file, the line and the field path,
 * e.g. `policy.yaml:12:9: rules.3.action: Invalid option: expected one of "allow"|...`.
 */
export function parsePolicy(source: string, file = "<policy>"): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lines.linePos(yamlError.pos[0]);
    throw new MainstayError(
      "MS_POLICY_INVALID",
      `${file}:${pos.line}:${pos.col}: ${yamlError.message.split("\n")[0]}`,
    );
  }
  const value = doc.toJS() as unknown;
  const prefix = isConfigFile(value) ? ["policies"] : [];
  const parsed = policySchema.safeParse(
    prefix.length > 0 ? (value as { policies: unknown }).policies : value,
  );
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.slice(0, 5).map((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    return `${file}:${locate(doc, lines, path)}${path.join(".") || "(root)"}: ${issue.message}`;
  });
  throw new MainstayError("MS_POLICY_INVALID", messages.join("\n"), 400, parsed.error.issues);
}

function isConfigFile(value: unknown): boolean {
  return typeof value === "object" && value !== null && "policies" in value && !("rules" in value);
}

/** "line:col: " of the deepest node on the path that exists, or "" when there is none. */
function locate(doc: Document, lines: LineCounter, path: string[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const keys = path.slice(0, depth).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const node = depth === 0 ? doc.contents : doc.getIn(keys, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = lines.linePos(range[0]);
      return `${pos.line}:${pos.col}: `;
    }
  }
  return "";
}
