import { formatPath } from "../shared/format-path.ts";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

type Path = (string | number)[];

/** A `${NAME}` whose variable is unset or empty and has no `:-` default. */
export interface MissingVariable {
  /** The field whose string holds the reference. */
  path: Path;
  variable: string;
  /** The reference as written, to point at it inside the string. */
  reference: string;
  message: string;
}

/**
 * Replace `${NAME}` and `${NAME:-default}` in every string of a parsed YAML value. Every
 * reference to an unset variable without a default is reported, not only the first; the
 * string holding one is left as written, so later checks can tell it apart.
 */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
): { value: unknown; missing: MissingVariable[] } {
  const missing: MissingVariable[] = [];
  const walk = (v: unknown, path: Path): unknown => {
    if (typeof v === "string") return interpolateString(v, env, path, missing);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, [...path, k]);
      return out;
    }
    return v;
  };
  return { value: walk(value, []), missing };
}

function interpolateString(
  text: string,
  env: NodeJS.ProcessEnv,
  path: Path,
  missing: MissingVariable[],
): string {
  const before = missing.length;
  const replaced = text.replace(REFERENCE, (reference, name: string, fallback?: string) => {
    const found = env[name];
    if (found !== undefined && found !== "") return found;
    if (fallback !== undefined) return fallback;
    missing.push({
      path,
      variable: name,
      reference,
      message: `environment variable ${name} is not set (referenced by ${formatPath(path)})`,
    });
    return reference;
  });
  return missing.length > before ? text : replaced;
}
