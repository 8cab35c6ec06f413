/** A line kept (` `), removed (`-`) or added (`+`), or a run of unchanged lines left out. */
export type LineChange = { op: " " | "-" | "+"; text: string } | { op: "…"; skipped: number };

/** Unchanged lines shown around each change. */
const CONTEXT = 1;

/** Line-by-line diff (longest common subsequence), unchanged runs trimmed to context. */
export function diffLines(before: string, after: string): LineChange[] {
  // A final newline on both sides (YAML block text) is not a line worth showing.
  const both = before.endsWith("\n") && after.endsWith("\n");
  const a = (both ? before.slice(0, -1) : before).split("\n");
  const b = (both ? after.slice(0, -1) : after).split("\n");
  return trimContext(diffSequences(a, b));
}

/** Longest-common-subsequence diff of two sequences: each item kept, removed or added. */
export function diffSequences(
  a: readonly string[],
  b: readonly string[],
): { op: " " | "-" | "+"; text: string }[] {
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const full: { op: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      full.push({ op: " ", text: a[i++]! });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      full.push({ op: "-", text: a[i++]! });
    } else {
      full.push({ op: "+", text: b[j++]! });
    }
  }
  return full;
}

function trimContext(full: { op: " " | "-" | "+"; text: string }[]): LineChange[] {
  const near = (k: number) =>
    full.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((l) => l.op !== " ");
  const out: LineChange[] = [];
  full.forEach((line, k) => {
    if (line.op !== " " || near(k)) {
      out.push(line);
      return;
    }
    const last = out.at(-1);
    if (last?.op === "…") last.skipped++;
    else out.push({ op: "…", skipped: 1 });
  });
  return out;
}
