import { MainstayError } from "../shared/errors.ts";
import { formatPath } from "../shared/format-path.ts";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replace `${NAME}` and `${NAME:-default}` in every string of a parsed YAML value.
 * A reference to an unset variable without a default is an error naming the field.
 */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(REFERENCE, (_match, name: string, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      throw new MainstayError(
        "MS_CONFIG_ENV_MISSING",
        `environment variable ${name} is not set (referenced by ${formatPath(path)})`,
        400,
        { path, variable: name },
      );
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateEnv(v, env, [...path, k]);
    return out;
  }
  return value;
}
