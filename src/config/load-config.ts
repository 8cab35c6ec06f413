import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { MainstayError } from "../shared/errors.ts";
import { CONFIG_INVALID, checkConfigText } from "./check-config.ts";
import type { Config } from "./schema.ts";

/** Where a field path is in the config file's YAML. */
export type Locate = (path: (string | number)[]) => { line: number; col: number } | undefined;

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file, or undefined for in-memory config. */
  file?: string;
  /** Folder relative paths in the config are resolved against. */
  baseDir: string;
  /** Where a field is in the file, so a problem with what it names can point at it. */
  locate?: Locate;
}

/** Read, interpolate and validate a mainstay.yaml. Throws MS_CONFIG_INVALID with every problem. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const absolute = resolve(file);
  return parseConfigText(readConfigText(file), absolute, env);
}

/** The text of a config file; MS_CONFIG_NOT_FOUND when it cannot be read. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(resolve(file), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MainstayError(
      "MS_CONFIG_NOT_FOUND",
      `${file}: cannot read config file (${code ?? "error"})`,
      400,
    );
  }
}

export function parseConfigText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig {
  const { loaded, problems } = checkConfigText(text, file, env);
  problems.throwIfAny(CONFIG_INVALID);
  return loaded!;
}

/** Resolve a path from the config against the config file's folder. */
export function resolveFromConfig(loaded: Pick<LoadedConfig, "baseDir">, path: string): string {
  return isAbsolute(path) ? path : resolve(loaded.baseDir, path);
}
