import { dirname } from "node:path";
import type { z } from "zod";
import { formatPath } from "../shared/format-path.ts";
import { ProblemList } from "../shared/problem-list.ts";
import { parseYamlSource, schemaProblems, type YamlProblem } from "../shared/yaml-source.ts";
import { interpolateEnv } from "./interpolate.ts";
import type { LoadedConfig, Locate } from "./load-config.ts";
import { type Config, configSchema } from "./schema.ts";

export const CONFIG_INVALID = "MS_CONFIG_INVALID";

/** The top-level settings that have no problem of their own, for checking what they name. */
export interface ConfigParts extends Omit<LoadedConfig, "config"> {
  config: Partial<Config>;
}

export interface ConfigCheck {
  /** The whole config, when it has no problem. */
  loaded?: LoadedConfig;
  parts: ConfigParts;
  problems: ProblemList;
}

/**
 * Check a mainstay.yaml in one pass: YAML syntax (nothing else can be read without it),
 * then every unset `${VAR}`, every schema problem and the cross-field checks. A field whose
 * variable is unset is not checked further; the rest of the file still is. `parts` holds
 * the top-level settings with no problem, so the files they name can be checked as well.
 */
export function checkConfigText(text: string, file: string, env: NodeJS.ProcessEnv): ConfigCheck {
  const problems = new ProblemList();
  const parts: ConfigParts = { config: {}, file, baseDir: dirname(file) };
  let source: ReturnType<typeof parseYamlSource>;
  try {
    source = parseYamlSource(text, file, CONFIG_INVALID);
  } catch (e) {
    problems.addError(e, { file, path: "" });
    return { parts, problems };
  }
  const { doc, locate, locateText } = source;
  parts.locate = locate;
  const { value: raw, missing } = interpolateEnv(doc.toJS(), env);
  problems.add(
    CONFIG_INVALID,
    missing.map((m) => at(file, locateText(m.path, m.reference), formatPath(m.path), m.message)),
  );
  const unresolved = missing.map((m) => formatPath(m.path));
  const checked = schemaProblems(configSchema, raw, file, locate);
  // What a value still holding `${VAR}` fails says nothing: its variable is reported.
  const found = checked.problems.filter((p) => !unresolved.some((u) => isUnder(p.path, u)));
  problems.add(CONFIG_INVALID, found);
  const troubled = [...unresolved, ...found.map((p) => p.path)];
  const shape = configSchema.shape as Record<string, z.ZodType>;
  const values = raw as Record<string, unknown>;
  for (const key of Object.keys(shape)) {
    if (troubled.some((path) => isUnder(path, key))) continue;
    const part = checked.data
      ? { data: checked.data[key as keyof Config] }
      : shape[key]!.safeParse(values[key]);
    if (part.data !== undefined) (parts.config as Record<string, unknown>)[key] = part.data;
  }
  const loaded =
    problems.size === 0 && checked.data ? { ...parts, config: checked.data } : undefined;
  return { loaded, parts, problems };
}

const at = (file: string, pos: ReturnType<Locate>, path: string, message: string): YamlProblem => ({
  file,
  line: pos?.line,
  column: pos?.col,
  path,
  message,
});

/** Whether the field path `path` is `prefix` or inside it (`channels[0].secret` is in `channels`). */
function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}
