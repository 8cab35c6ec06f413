import type { DocumentChange } from "./types.ts";

/** How a diff line is shown: its colour comes from this, never from the line's text. */
export type DiffOp = "add" | "del" | "mod" | "same" | "skip";

export interface DiffRow {
  op: DiffOp;
  text: string;
}

const show = (value: unknown) => JSON.stringify(value);
const LINE_OP = { " ": "same", "-": "del", "+": "add" } as const;

/**
 * The API's structured changes as lines to show (the same text as the API's `text`), each
 * with the operation that produced it: an unchanged prompt line that starts with "- " is
 * still `same`.
 */
export function diffRows(changes: readonly DocumentChange[]): DiffRow[] {
  if (changes.length === 0) return [{ op: "same", text: "no changes" }];
  const rows: DiffRow[] = [];
  for (const change of changes) {
    if (change.kind === "added") {
      rows.push({ op: "add", text: `+ ${change.path}: ${show(change.after)}` });
    } else if (change.kind === "removed") {
      rows.push({ op: "del", text: `- ${change.path}: ${show(change.before)}` });
    } else if (change.lines) {
      rows.push({ op: "mod", text: `~ ${change.path}:` });
      for (const line of change.lines) {
        rows.push(
          line.op === "…"
            ? { op: "skip", text: `    … ${line.skipped} unchanged` }
            : { op: LINE_OP[line.op], text: `    ${line.op} ${line.text}`.trimEnd() },
        );
      }
    } else {
      rows.push({
        op: "mod",
        text: `~ ${change.path}: ${show(change.before)} -> ${show(change.after)}`,
      });
    }
  }
  return rows;
}
