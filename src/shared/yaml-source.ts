import { type Document, isMap, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { MainstayError } from "./errors.ts";
import { formatPath } from "./format-path.ts";

/** One problem in a YAML file, where a person can find it. */
export interface YamlProblem {
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

type Path = (string | number)[];

/**
 * A YAML file parsed to a mapping, with the position of any field path in it. YAML syntax
 * errors, or a top level that is not a mapping, throw `code` naming file, line and column.
 */
export function parseYamlSource(text: string, file: string, code: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw problemsError(
      code,
      doc.errors.map((err) => {
        const pos = lineCounter.linePos(err.pos[0]);
        const message = err.message.split("\n")[0]!;
        return { file, line: pos.line, column: pos.col, path: "", message };
      }),
    );
  }
  if (!isMap(doc.contents)) {
    throw problemsError(code, [
      { file, line: 1, column: 1, path: "", message: "expected a YAML mapping at the top" },
    ]);
  }
  return { doc, locate: (path: Path) => locate(doc, lineCounter, path) };
}

/** Position of the deepest node on `path` that exists in the YAML. */
function locate(doc: Document, lineCounter: LineCounter, path: Path) {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]);
  }
  return undefined;
}

/** zod's issues as problems at their place in the file. */
export function zodProblems(
  error: z.ZodError,
  file: string,
  where: (path: Path) => { line: number; col: number } | undefined,
): YamlProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    // Point at the unknown key itself, not at the mapping that holds it.
    if (issue.code === "unrecognized_keys" && issue.keys[0]) path.push(issue.keys[0]);
    const pos = where(path);
    return {
      file,
      line: pos?.line,
      column: pos?.col,
      path: formatPath(path),
      message: issue.message,
    };
  });
}

/** One error listing every problem, a line each: `file:line:column: field: message`. */
export function problemsError(code: string, problems: YamlProblem[]): MainstayError {
  const lines = problems.map((p) => {
    const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
    return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
  });
  return new MainstayError(code, lines.join("\n"), 400, problems);
}
