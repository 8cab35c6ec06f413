import { type Document, isMap, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { didYouMean } from "./closest-name.ts";
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

/** The parser's message, with what usually causes it when a `${VAR}` is involved. */
function hinted(err: { message: string; pos: [number, number] }, text: string): string {
  const message = err.message.split("\n")[0]!;
  const lineStart = text.lastIndexOf("\n", err.pos[0] - 1) + 1;
  const lineEnd = text.indexOf("\n", err.pos[0]);
  const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  return /\$\{/.test(line) && /[{[]/.test(line.replace(/\$\{[^}]*\}/g, ""))
    ? `${message} (inside { } or [ ], quote a \${VAR}: "\${VAR}")`
    : message;
}

/**
 * A YAML file parsed to a mapping, with the position of any field path in it. YAML syntax
 * errors, or a top level that is not a mapping, throw `code` naming file, line and column.
 */
export function parseYamlSource(text: string, file: string, code: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    // After the first syntax error the parser is lost: the rest are mostly echoes of it, one
    // per token, so only the first is shown, with how many followed.
    const [first, ...rest] = doc.errors;
    const pos = lineCounter.linePos(first!.pos[0]);
    const more = rest.length > 0 ? ` (${rest.length} more syntax errors follow from here)` : "";
    const message = `${hinted(first!, text)}${more}`;
    throw problemsError(code, [{ file, line: pos.line, column: pos.col, path: "", message }]);
  }
  if (!isMap(doc.contents)) {
    throw problemsError(code, [
      { file, line: 1, column: 1, path: "", message: "expected a YAML mapping at the top" },
    ]);
  }
  return {
    doc,
    locate: (path: Path) => locate(doc, lineCounter, path),
    locateText: (path: Path, needle: string) => locateText(text, doc, lineCounter, path, needle),
  };
}

/**
 * Position of `needle` (a `${NAME}` reference) inside the scalar at `path`, as written in the
 * source, so `https://${HOST}/x` points at the reference; the scalar's own position when the
 * needle is not there verbatim (an escape in a quoted string).
 */
function locateText(
  text: string,
  doc: Document,
  lineCounter: LineCounter,
  path: Path,
  needle: string,
) {
  const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
  if (!node?.range) return locate(doc, lineCounter, path);
  const at = text.slice(node.range[0], node.range[1]).indexOf(needle);
  return lineCounter.linePos(node.range[0] + Math.max(at, 0));
}

/** Position of the deepest node on `path` that exists in the YAML. */
function locate(doc: Document, lineCounter: LineCounter, path: Path) {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]);
  }
  return undefined;
}

type Where = (path: Path) => { line: number; col: number } | undefined;

/** The keys each strict object that refused an unknown key knows, by the object's path. */
type KnownKeys = ReadonlyMap<string, readonly string[]>;

const pathKey = (path: readonly PropertyKey[]) => JSON.stringify(path.map(String));

/**
 * `schema.safeParse(value)`, and every issue as a problem at its place in the file, an
 * unknown key with the closest known one (`threshhold` gets `did you mean "threshold"?`).
 */
export function schemaProblems<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  where: Where,
): { data?: z.output<S>; problems: YamlProblem[] } {
  const known = new Map<string, string[]>();
  const parsed = schema.safeParse(value, {
    // zod hands its error map the object schema that refused the key; its shape is what
    // the key could have been. Returning undefined keeps zod's own message.
    error: (issue) => {
      const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def
        ?.shape;
      if (issue.code === "unrecognized_keys" && shape) {
        known.set(pathKey(issue.path ?? []), Object.keys(shape));
      }
      return undefined;
    },
  });
  if (parsed.success) return { data: parsed.data, problems: [] };
  return { problems: zodProblems(parsed.error, file, where, known) };
}

/** zod's issues as problems at their place in the file, one per unknown key. */
export function zodProblems(
  error: z.ZodError,
  file: string,
  where: Where,
  known: KnownKeys = new Map(),
): YamlProblem[] {
  const at = (path: Path, message: string): YamlProblem => {
    const pos = where(path);
    return { file, line: pos?.line, column: pos?.col, path: formatPath(path), message };
  };
  return error.issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code !== "unrecognized_keys") return [at(path, issue.message)];
    // zod's own message (not a schema's, such as a replaced field's) is said once per key,
    // at the unknown key itself rather than at the mapping that holds it.
    if (!issue.message.startsWith("Unrecognized key")) {
      return [at([...path, ...issue.keys.slice(0, 1)], issue.message)];
    }
    const candidates = known.get(pathKey(path)) ?? [];
    return issue.keys.map((key) =>
      at([...path, key], `Unrecognized key: "${key}"${didYouMean(key, candidates)}`),
    );
  });
}

/** One error listing every problem, a line each: `file:line:column: field: message`. */
export function problemsError(code: string, problems: YamlProblem[]): MainstayError {
  const lines = problems.map((p) => {
    const where = p.line ? `${p.file}:${p.line}${p.column ? `:${p.column}` : ""}` : p.file;
    return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
  });
  return new MainstayError(code, lines.join("\n"), 400, problems);
}
