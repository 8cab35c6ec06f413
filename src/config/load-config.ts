import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { MainstayError } from "../shared/errors.ts";
import { formatPath } from "../shared/format-path.ts";
import { parseYamlSource, problemsError, zodProblems } from "../shared/yaml-source.ts";
import { interpolateEnv } from "./interpolate.ts";
import { type Config, configSchema } from "./schema.ts";

const INVALID = "MS_CONFIG_INVALID";

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file, or undefined for in-memory config. */
  file?: string;
  /** Folder relative paths in the config are resolved against. */
  baseDir: string;
}

/** Read, interpolate and validate a mainstay.yaml. Throws MS_CONFIG_INVALID with every problem. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MainstayError(
      "MS_CONFIG_NOT_FOUND",
      `${file}: cannot read config file (${code ?? "error"})`,
      400,
    );
  }
  return parseConfigText(text, absolute, env);
}

export function parseConfigText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig {
  const { doc, locate } = parseYamlSource(text, file, INVALID);
  let raw: unknown;
  try {
    raw = interpolateEnv(doc.toJS(), env);
  } catch (e) {
    if (e instanceof MainstayError && e.code === "MS_CONFIG_ENV_MISSING") {
      const path = (e.details as { path: (string | number)[] }).path;
      const pos = locate(path);
      throw problemsError(INVALID, [
        { file, line: pos?.line, column: pos?.col, path: formatPath(path), message: e.message },
      ]);
    }
    throw e;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw problemsError(INVALID, zodProblems(parsed.error, file, locate));
  return { config: parsed.data, file, baseDir: dirname(file) };
}

/** Resolve a path from the config against the config file's folder. */
export function resolveFromConfig(loaded: LoadedConfig, path: string): string {
  return isAbsolute(path) ? path : resolve(loaded.baseDir, path);
}
