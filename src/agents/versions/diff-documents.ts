import { formatPath } from "../../shared/format-path.ts";
import { diffLines, type LineChange } from "./diff-lines.ts";

export type DocumentChange =
  | { kind: "added"; path: string; after: unknown }
  | { kind: "removed"; path: string; before: unknown }
  /** `lines` when either side is a multi-line string (the system prompt). */
  | { kind: "changed"; path: string; before: unknown; after: unknown; lines?: LineChange[] };

type Path = (string | number)[];

/**
 * What changed from `before` to `after`, path by path. Arrays whose items all have a
 * distinct `name` (tools) are matched by name, so adding a tool at the top reads as one
 * added tool rather than every tool changed.
 */
export function diffDocuments(before: unknown, after: unknown): DocumentChange[] {
  const changes: DocumentChange[] = [];
  walk(before, after, [], changes);
  return changes;
}

function walk(a: unknown, b: unknown, path: Path, out: DocumentChange[]): void {
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) compareAt(a[key], b[key], [...path, key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const namesA = namesOf(a);
    const namesB = namesOf(b);
    if (namesA && namesB) {
      walkNamed(a, b, namesA, namesB, path, out);
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      compareAt(a[i], b[i], [...path, i], out);
    }
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const p = formatPath(path);
  const multiline = (v: unknown) => typeof v === "string" && v.includes("\n");
  if (typeof a === "string" && typeof b === "string" && (multiline(a) || multiline(b))) {
    out.push({ kind: "changed", path: p, before: a, after: b, lines: diffLines(a, b) });
  } else {
    out.push({ kind: "changed", path: p, before: a, after: b });
  }
}

function compareAt(a: unknown, b: unknown, path: Path, out: DocumentChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) out.push({ kind: "added", path: formatPath(path), after: b });
  else if (b === undefined) out.push({ kind: "removed", path: formatPath(path), before: a });
  else walk(a, b, path, out);
}

function walkNamed(
  a: unknown[],
  b: unknown[],
  namesA: string[],
  namesB: string[],
  path: Path,
  out: DocumentChange[],
): void {
  const common = namesA.filter((n) => namesB.includes(n));
  const orderB = namesB.filter((n) => common.includes(n));
  // Tool order is part of what the model sees, so a reorder is a change.
  if (common.join("\n") !== orderB.join("\n")) {
    out.push({
      kind: "changed",
      path: `${formatPath(path)} (order)`,
      before: common,
      after: orderB,
    });
  }
  for (const name of [...new Set([...namesA, ...namesB])]) {
    compareAt(a[namesA.indexOf(name)], b[namesB.indexOf(name)], [...path, name], out);
  }
}

/** Each item's `name` when every item has a distinct string one, else undefined. */
function namesOf(items: unknown[]): string[] | undefined {
  const names = items.map((item) => (isRecord(item) ? item["name"] : undefined));
  if (!names.every((n): n is string => typeof n === "string")) return undefined;
  return new Set(names).size === names.length ? names : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * The changes as text, one per line: `+ path: value`, `- path: value`,
 * `~ path: old -> new`, and a multi-line string as its changed lines with +/-.
 */
export function formatDiff(changes: DocumentChange[]): string {
  if (changes.length === 0) return "no changes\n";
  const lines: string[] = [];
  for (const change of changes) {
    if (change.kind === "added") lines.push(`+ ${change.path}: ${show(change.after)}`);
    else if (change.kind === "removed") lines.push(`- ${change.path}: ${show(change.before)}`);
    else if (change.lines) {
      lines.push(`~ ${change.path}:`);
      for (const line of change.lines) {
        lines.push(
          line.op === "…"
            ? `    … ${line.skipped} unchanged`
            : `    ${line.op} ${line.text}`.trimEnd(),
        );
      }
    } else lines.push(`~ ${change.path}: ${show(change.before)} -> ${show(change.after)}`);
  }
  return `${lines.join("\n")}\n`;
}

const show = (value: unknown) => JSON.stringify(value);
