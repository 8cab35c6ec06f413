import { isMainstayError, type MainstayError } from "./errors.ts";
import { problemsError, type YamlProblem } from "./yaml-source.ts";

/** Where a problem goes when the error reporting it names no line: the field that led there. */
export type Fallback = Omit<YamlProblem, "message">;

// `file:line: ` or `file:line:column: `, as every loader's messages begin.
const LOCATED = /^(.+?):(\d+)(?::(\d+))?: (.*)$/s;

/**
 * Problems from several checks (a config, the files it names, the problems inside those),
 * reported together as one error: sorted by file and place, under the one code they share,
 * or a common code when they come from several kinds of file.
 */
export class ProblemList {
  private readonly entries: { code: string; problem: YamlProblem }[] = [];

  add(code: string, problems: readonly YamlProblem[]): void {
    for (const problem of problems) this.entries.push({ code, problem });
  }

  /**
   * The problems a loader threw: its located problems when it lists them, else one per line
   * of its message, each at its own `file:line:column` or else at `fallback`. Anything but a
   * MainstayError is a bug, not a problem with the files, and is thrown on.
   */
  addError(error: unknown, fallback: Fallback): void {
    if (!isMainstayError(error)) throw error;
    this.add(error.code, problemsOf(error, fallback));
  }

  get size(): number {
    return this.entries.length;
  }

  /** One error listing every problem, a line each; `mixedCode` when their codes differ. */
  toError(mixedCode: string): MainstayError {
    const codes = new Set(this.entries.map((e) => e.code));
    const code = codes.size === 1 ? [...codes][0]! : mixedCode;
    const sorted = this.entries
      .map((e) => e.problem)
      .sort(
        (a, b) =>
          (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
          (a.line ?? 0) - (b.line ?? 0) ||
          (a.column ?? 0) - (b.column ?? 0),
      );
    return problemsError(code, sorted);
  }

  /** Throw `toError(mixedCode)` when there is any problem. */
  throwIfAny(mixedCode: string): void {
    if (this.entries.length > 0) throw this.toError(mixedCode);
  }
}

function problemsOf(error: MainstayError, fallback: Fallback): YamlProblem[] {
  if (isProblemList(error.details)) return error.details;
  return error.message.split("\n").map((line) => {
    const m = LOCATED.exec(line);
    if (!m) return { ...fallback, message: line };
    return {
      file: m[1]!,
      line: Number(m[2]),
      column: m[3] === undefined ? undefined : Number(m[3]),
      path: "",
      message: m[4]!,
    };
  });
}

function isProblemList(details: unknown): details is YamlProblem[] {
  return (
    Array.isArray(details) &&
    details.length > 0 &&
    details.every(
      (d) =>
        typeof d === "object" &&
        d !== null &&
        typeof (d as YamlProblem).file === "string" &&
        typeof (d as YamlProblem).message === "string",
    )
  );
}
