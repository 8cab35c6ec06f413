import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { z } from "zod";
import type { JudgeProvider } from "../evaluation/index.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import { parseYamlSource, problemsError, schemaProblems } from "../shared/yaml-source.ts";
import { type Scenario, type ScenarioFile, scenarioFileSchema } from "./scenario-schema.ts";
import { tau2Scenario } from "./tau2/import-tau2.ts";
import { parseTau2Tasks } from "./tau2/parse-tau2-tasks.ts";

const INVALID = "MS_SIM_INVALID";

/** Every scenario of a run, and the models and config its files name. */
export interface ScenarioSet {
  scenarios: Scenario[];
  /** Plays the customer; without it every scenario needs a `script`. */
  customer?: JudgeProvider;
  /** Grades `assertions`; without it they are skipped. */
  judge?: JudgeProvider;
  /** The mainstay.yaml the files name, resolved. */
  config?: string;
}

/** Scenario files, and every `.yaml`/`.yml` file of the folders given. */
export function loadScenarios(paths: readonly string[]): ScenarioSet {
  const files = paths.flatMap(filesAt);
  const set: ScenarioSet = { scenarios: [] };
  const from = new Map<string, string>();
  for (const file of files) {
    const parsed = parseScenarioFile(readText(file), file);
    agree(set, "customer", parsed.customer, file);
    agree(set, "judge", parsed.judge, file);
    agree(set, "config", parsed.config && resolve(dirname(file), parsed.config), file);
    for (const scenario of scenariosOf(parsed, file)) {
      const earlier = from.get(scenario.name);
      if (earlier) {
        throw new MainstayError(
          INVALID,
          `${file}: scenario "${scenario.name}" is also in ${earlier}`,
        );
      }
      from.set(scenario.name, file);
      set.scenarios.push(scenario);
    }
  }
  return set;
}

/** Parse and validate one file; problems read `file:line:column: field: message`. */
export function parseScenarioFile(text: string, file: string): ScenarioFile {
  return parseWith(scenarioFileSchema, text, file);
}

function scenariosOf(parsed: ScenarioFile, file: string): Scenario[] {
  const defaults = {
    channel: parsed.channel,
    language: parsed.language,
    maxTurns: parsed.maxTurns,
  };
  const own = parsed.scenarios.map(
    (s): Scenario => ({ ...defaults, ...s, source: file }) as Scenario,
  );
  if (!parsed.tau2) return own;
  const tasksFile = resolve(dirname(file), parsed.tau2);
  const tasks = parseTau2Tasks(readText(tasksFile), tasksFile);
  return [...own, ...tasks.map((task) => tau2Scenario(task, { ...defaults, file: tasksFile }))];
}

function filesAt(path: string): string[] {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch (e) {
    throw new MainstayError(INVALID, `${path}: cannot read: ${describeError(e)}`);
  }
  if (!folder) return [path];
  const found = readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(path, name));
  if (found.length === 0) throw new MainstayError(INVALID, `${path}: no .yaml scenario files`);
  return found;
}

/** Files of one run may leave a setting out, but not name two different ones. */
function agree<K extends "customer" | "judge" | "config">(
  set: ScenarioSet,
  key: K,
  value: ScenarioSet[K] | undefined,
  file: string,
) {
  if (value === undefined) return;
  if (set[key] !== undefined && JSON.stringify(set[key]) !== JSON.stringify(value)) {
    throw new MainstayError(INVALID, `${file}: \`${key}\` differs from an earlier file's`);
  }
  set[key] = value;
}

function parseWith<S extends z.ZodType>(schema: S, text: string, file: string): z.output<S> {
  const { doc, locate } = parseYamlSource(text, file, INVALID);
  const { data, problems } = schemaProblems(schema, doc.toJS(), file, locate);
  if (problems.length > 0) throw problemsError(INVALID, problems);
  return data as z.output<S>;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new MainstayError(INVALID, `${file}: cannot read: ${describeError(e)}`);
  }
}
