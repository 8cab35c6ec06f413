import { readFileSync } from "node:fs";
import { z } from "zod";
import { describeError, MainstayError } from "../shared/errors.ts";
import { parseYamlSource, problemsError, zodProblems } from "../shared/yaml-source.ts";
import { type JudgeProvider, judgeSchema, type Suite, suiteSchema } from "./suite-schema.ts";

const INVALID = "MS_EVAL_INVALID";

/** Parse and validate a suite; problems read `file:line:column: field: message`. */
export function parseSuite(text: string, file: string): Suite {
  return parseWith(suiteSchema, text, file);
}

export function loadSuite(file: string): Suite {
  return parseSuite(readText(file), file);
}

/**
 * The `judge:` block of any YAML file (a suite names one), for replay and red-team runs
 * that have no suite of their own.
 */
export function loadJudge(file: string): JudgeProvider {
  const holder = z.object({ judge: judgeSchema }).loose();
  return parseWith(holder, readText(file), file).judge;
}

function parseWith<S extends z.ZodType>(schema: S, text: string, file: string): z.infer<S> {
  const { doc, locate } = parseYamlSource(text, file, INVALID);
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  throw problemsError(INVALID, zodProblems(parsed.error, file, locate));
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new MainstayError("MS_EVAL_INVALID", `${file}: cannot read: ${describeError(e)}`);
  }
}
