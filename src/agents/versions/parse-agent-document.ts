import { formatPath } from "../../shared/format-path.ts";
import {
  parseYamlSource,
  problemsError,
  schemaProblems,
  type YamlProblem,
} from "../../shared/yaml-source.ts";
import { type AgentDocument, agentDocumentSchema } from "./agent-document.ts";
import { secretNameSchema } from "./secret-name-schema.ts";
import { secretReferences, undeclaredSecret } from "./secret-references.ts";
import {
  fillSettings,
  referenceProblem,
  type SettingField,
  type Settings,
  settingFields,
  standInFor,
  withFieldValues,
} from "./setting-references.ts";

const INVALID = "MS_AGENT_INVALID";

/** An agent document read and checked: every problem found in one pass. */
export interface AgentDocumentCheck {
  /** The document (`${NAME}` references as written), when it has no problem. */
  document?: AgentDocument;
  problems: YamlProblem[];
  /** Where a field is in the document's YAML. */
  locate(path: (string | number)[]): { line: number; col: number } | undefined;
  /** The paths it names that are valid themselves, so the files behind them can be checked. */
  files: { knowledgeDir?: string; policy?: string };
}

export interface AgentDocumentOptions {
  /** The secret names the server's config declares; any other is a problem. */
  secrets?: readonly string[];
  /** The server's settings: references to others are problems, and values are checked. */
  settings?: Settings;
}

/**
 * Read and validate an agent document, collecting every problem: YAML syntax, then the
 * `${NAME}` setting references, the schema and cross-field checks (on the document with the
 * settings' values filled in), and the secrets it names. The document returned keeps the
 * references, so one document is one version whatever each server's values are.
 */
export function checkAgentDocument(
  text: string,
  file: string,
  options: AgentDocumentOptions = {},
): AgentDocumentCheck {
  let source: ReturnType<typeof parseYamlSource>;
  try {
    source = parseYamlSource(text, file, INVALID);
  } catch (e) {
    const problems = (e as { details?: YamlProblem[] }).details;
    if (!Array.isArray(problems)) throw e;
    return { problems, locate: () => undefined, files: {} };
  }
  const { doc, locate, locateText } = source;
  const raw = doc.toJS() as unknown;
  const problems: YamlProblem[] = [];
  const report = (path: (string | number)[], message: string, needle?: string) => {
    const pos = needle ? locateText(path, needle) : locate(path);
    problems.push({ file, line: pos?.line, column: pos?.col, path: formatPath(path), message });
  };
  const fields = settingFields(raw);
  const filled = fillFields(fields, options.settings, report);
  const checked = schemaProblems(agentDocumentSchema, withFieldValues(raw, filled), file, locate);
  problems.push(...checked.problems.map((p) => withSettingValues(p, filled, options.settings)));
  if (options.secrets) {
    for (const ref of secretReferences(checked.data ?? looseDocument(raw))) {
      if (options.secrets.includes(ref.name) || !secretNameSchema.safeParse(ref.name).success) {
        continue;
      }
      report(ref.path, undeclaredSecret(ref.name, options.secrets));
    }
  }
  const document =
    problems.length === 0 && checked.data
      ? withFieldValues(
          checked.data,
          fields.map((f) => ({ path: f.path, value: f.text })),
        )
      : undefined;
  return { document, problems, locate, files: namedFiles(raw, problems) };
}

/**
 * Parse and validate an agent document. Throws MS_AGENT_INVALID with one line per
 * problem, `file:line:column: field: message`, like mainstay.yaml errors. `${VAR}` is
 * replaced in no field but the settings fields, and there by the server's settings, not the
 * environment. With `secrets` (the names the server's config declares), naming any other
 * secret is a problem too.
 */
export function parseAgentDocument(
  text: string,
  file: string,
  options: AgentDocumentOptions = {},
): AgentDocument {
  const { document, problems } = checkAgentDocument(text, file, options);
  if (!document) throw problemsError(INVALID, problems);
  return document;
}

type Filled = { path: (string | number)[]; value: string; field?: SettingField };

/**
 * Each settings field with its settings' values, or a stand-in (and its problems reported)
 * when a value is not known here; `field` is kept for the fields that got their values.
 */
function fillFields(
  fields: readonly SettingField[],
  settings: Settings | undefined,
  report: (path: (string | number)[], message: string, needle: string) => void,
): Filled[] {
  return fields.map((field) => {
    let known = settings !== undefined;
    for (const ref of field.references) {
      const problem = referenceProblem(ref, settings);
      if (problem) report(field.path, problem, ref.written);
      known &&= problem === undefined;
    }
    return known
      ? { path: field.path, value: fillSettings(field, settings!), field }
      : { path: field.path, value: standInFor(field.path) };
  });
}

/** A problem with a value filled in from settings says what the value was. */
function withSettingValues(
  problem: YamlProblem,
  filled: readonly Filled[],
  settings: Settings | undefined,
): YamlProblem {
  const field = filled.find((f) => f.field && formatPath(f.path) === problem.path)?.field;
  if (!field || !settings) return problem;
  const values = field.references.map((r) => `${r.written} is "${settings[r.name]}"`);
  return { ...problem, message: `${problem.message} (${values.join(", ")})` };
}

/** The parts of an invalid document the secrets check reads, so it runs in the same pass. */
function looseDocument(raw: unknown): AgentDocument {
  const record = (v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const list = (v: unknown) => (Array.isArray(v) ? v.map(record) : []);
  const doc = record(raw);
  return {
    provider: record(doc["provider"]),
    fallbacks: list(doc["fallbacks"]),
    tools: list(doc["tools"]),
  } as unknown as AgentDocument;
}

function namedFiles(raw: unknown, problems: readonly YamlProblem[]): AgentDocumentCheck["files"] {
  const doc = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const valid = (key: "knowledgeDir" | "policy") => {
    const value = doc[key];
    return typeof value === "string" && value !== "" && !problems.some((p) => p.path === key)
      ? value
      : undefined;
  };
  return { knowledgeDir: valid("knowledgeDir"), policy: valid("policy") };
}
