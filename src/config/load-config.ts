import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { isMap, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { MainstayError } from "../shared/errors.ts";
import { formatPath, interpolateEnv } from "./interpolate.ts";
import { type Config, configSchema } from "./schema.ts";

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file, or undefined for in-memory config. */
  file?: string;
  /** Folder relative paths in the config are resolved against. */
  baseDir: string;
}

export interface ConfigProblem {
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((err) => {
      const pos = lineCounter.linePos(err.pos[0]);
      return { file, line: pos.line, column: pos.col, path: "", message: err.message };
    });
    throw configError(problems);
  }
  if (!isMap(doc.contents)) {
    throw configError([{ file, line: 1, path: "", message: "expected a YAML mapping at the top" }]);
  }
  const locate = (path: (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]);
    }
    return undefined;
  };
  let raw: unknown;
  try {
    raw = interpolateEnv(doc.toJS(), env);
  } catch (e) {
    if (e instanceof MainstayError && e.code === "MS_CONFIG_ENV_MISSING") {
      const path = (e.details as { path: (string | number)[] }).path;
      const pos = locate(path);
      throw configError([
        { file, line: pos?.line, column: pos?.col, path: formatPath(path), message: e.message },
      ]);
    }
    throw e;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw configError(zodProblems(parsed.error, file, locate));
  return { config: parsed.data, file, baseDir: dirname(file) };
}

function zodProblems(
  error: z.ZodError,
  file: string,
  locate: (path: (string | number)[]) => { line: number; col: number } | undefined,
): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    // Point at the unknown key itself, not at the mapping that holds it.
    if (issue.code === "unrecognized_keys" && issue.keys[0]) path.push(issue.keys[0]);
    const pos = locate(path);
    return {
      file,
      line: pos?.line,
      column: pos?.col,
      path: formatPath(path),
      message: issue.message,
    };
  });
}

function configError(problems: ConfigProblem[]): MainstayError {
  const lines = problems.map((p) => {
    const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
    return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
  });
  return new MainstayError("MS_CONFIG_INVALID", lines.join("\n"), 400, problems);
}

/** Resolve a path from the config against the config file's folder. */
export function resolveFromConfig(loaded: LoadedConfig, path: string): string {
  return isAbsolute(path) ? path : resolve(loaded.baseDir, path);
}
