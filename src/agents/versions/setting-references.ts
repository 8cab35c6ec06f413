import { z } from "zod";
import { closestName } from "../../shared/closest-name.ts";

/** The `settings:` of the server's mainstay.yaml, by name: values documents may refer to. */
export type Settings = Readonly<Record<string, string>>;

type Path = (string | number)[];

export const settingNameSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "letters, digits and _, not starting with a digit");

/**
 * The fields that may hold `${NAME}`: what differs from one server to the next (where its
 * providers and APIs are, which models it may use), never what the agent says or does, so
 * one version behaves the same everywhere but for those.
 */
export const SETTING_FIELDS = [
  "provider.model",
  "provider.baseUrl",
  "fallbacks[].model",
  "fallbacks[].baseUrl",
  "tools[].url",
] as const;

const FIELD_PATHS = SETTING_FIELDS.map((field) =>
  field.split(".").flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), "*"] : [part])),
);

const REFERENCE = /\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface SettingReference {
  name: string;
  /** As written, `${NAME}`. */
  written: string;
}

/** A field whose text refers to settings. */
export interface SettingField {
  path: Path;
  text: string;
  references: SettingReference[];
}

/** Every field of `doc` (its YAML, or a parsed document) that may and does hold `${...}`. */
export function settingFields(doc: unknown): SettingField[] {
  const fields: SettingField[] = [];
  const visit = (value: unknown, pattern: string[], path: Path) => {
    if (pattern.length === 0) {
      if (typeof value !== "string") return;
      const references = [...value.matchAll(REFERENCE)].map((m) => ({
        name: m[1]!,
        written: m[0],
      }));
      if (references.length > 0) fields.push({ path, text: value, references });
      return;
    }
    const [head, ...rest] = pattern as [string, ...string[]];
    if (head === "*") {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        visit(item, rest, [...path, i]);
      });
    } else if (isRecord(value)) {
      visit(value[head], rest, [...path, head]);
    }
  };
  for (const pattern of FIELD_PATHS) visit(doc, pattern, []);
  return fields;
}

/**
 * What is wrong with a reference, or undefined when it has a value. Without `settings` (the
 * server's are not known here) only how it is written is checked.
 */
export function referenceProblem(
  ref: SettingReference,
  settings: Settings | undefined,
): string | undefined {
  if (!NAME.test(ref.name)) {
    return `${ref.written}: a document names a setting as \${NAME} (letters, digits and _); a default belongs in the server's settings:`;
  }
  if (!settings) return undefined;
  if (!Object.hasOwn(settings, ref.name)) {
    const declared = Object.keys(settings);
    const known =
      declared.length > 0
        ? `declared settings: ${declared.join(", ")}`
        : "no settings are declared";
    const close = closestName(ref.name, declared);
    const hint = close === undefined ? "" : `; did you mean "${close}"?`;
    return `setting "${ref.name}" is not declared under settings: in mainstay.yaml${hint} (${known})`;
  }
  if (settings[ref.name] === "") {
    return `setting "${ref.name}" is empty (the variable its value references is not set)`;
  }
  return undefined;
}

/** The field's text with every reference replaced by its setting's value. */
export function fillSettings(field: SettingField, settings: Settings): string {
  return field.text.replace(REFERENCE, (_match, name: string) => settings[name] ?? "");
}

/**
 * A valid value for a field whose settings are not known (or wrong): the document's other
 * checks still run, and this field is checked once its value is known.
 */
export function standInFor(path: Path): string {
  return path.at(-1) === "model" ? "setting" : "https://setting.invalid";
}

/** A copy of `doc` with the string at each path replaced. */
export function withFieldValues<T>(doc: T, values: readonly { path: Path; value: string }[]): T {
  if (values.length === 0) return doc;
  const copy = structuredClone(doc);
  for (const { path, value } of values) {
    let node = copy as unknown as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path.at(-1)!] = value;
  }
  return copy;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
