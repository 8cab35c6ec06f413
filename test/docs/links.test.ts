import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "node:test";
import { docFiles, fencedBlocks, REPO } from "./markdown-blocks.ts";

interface Link {
  file: string;
  line: number;
  label: string;
  target: string;
}

/** Relative links and images outside code blocks and inline code. */
function relativeLinks(file: string): Link[] {
  const text = readFileSync(join(REPO, file), "utf8");
  const inCode = new Set<number>();
  for (const block of fencedBlocks(file, text)) {
    for (let l = block.line; l <= block.line + block.body.length + 1; l++) inCode.add(l);
  }
  return text.split("\n").flatMap((line, i) => {
    if (inCode.has(i + 1)) return [];
    const prose = line.replace(/`[^`]*`/g, (code) => (code.includes("](") ? "" : code));
    return [...prose.matchAll(/\[((?:[^\]`]|`[^`]*`)*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map((m) => ({ file, line: i + 1, label: m[1]!, target: m[2]! }))
      .filter((link) => !/^([a-z]+:|<)/i.test(link.target));
  });
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to `-`, repeats `-1`. */
function anchorsOf(file: string): Set<string> {
  const text = readFileSync(join(REPO, file), "utf8");
  const code = new Set(
    fencedBlocks(file, text).flatMap((b) => b.body.map((_, j) => b.line + 1 + j)),
  );
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  text.split("\n").forEach((line, i) => {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading || code.has(i + 1)) return;
    const slug = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  });
  return anchors;
}

const links = docFiles().flatMap(relativeLinks);
const at = (link: Link) => `${link.file}:${link.line} [${link.label}](${link.target})`;

/** The repository path a link names, and its anchor. */
function resolveLink(link: Link) {
  const [path = "", anchor] = link.target.split("#");
  const target = path === "" ? link.file : normalize(join(dirname(link.file), decodeURI(path)));
  return { target, anchor };
}

test("every relative link in README.md and docs/ names a file that exists", () => {
  const broken = links.filter((link) => {
    const { target } = resolveLink(link);
    return target.startsWith("..") || !existsSync(join(REPO, target));
  });
  assert.deepEqual(broken.map(at), []);
});

test("a link labelled with a file name points to that file", () => {
  const mislabelled = links.filter((link) => {
    const label = link.label.replace(/`/g, "").split("#")[0]!;
    if (!/^[\w./-]+\.(md|ya?ml|json|png|ts)$/.test(label)) return false;
    const { target } = resolveLink(link);
    const fromHere = normalize(join(dirname(link.file), label));
    return target !== normalize(label) && target !== fromHere && !target.endsWith(`/${label}`);
  });
  assert.deepEqual(mislabelled.map(at), []);
});

test("every anchor in a relative link matches a heading of the page it names", () => {
  const cache = new Map<string, Set<string>>();
  const broken = links.filter((link) => {
    const { target, anchor } = resolveLink(link);
    if (!anchor || !target.endsWith(".md") || !existsSync(join(REPO, target))) return false;
    if (statSync(join(REPO, target)).isDirectory()) return false;
    if (!cache.has(target)) cache.set(target, anchorsOf(target));
    return !cache.get(target)!.has(anchor);
  });
  assert.deepEqual(
    broken.map(
      (link) =>
        `${at(link)}: no heading "${resolveLink(link).anchor}" in ${relative(".", resolveLink(link).target)}`,
    ),
    [],
  );
});

test("every examples/ file the pages name exists", () => {
  const missing = docFiles().flatMap((file) =>
    readFileSync(join(REPO, file), "utf8")
      .split("\n")
      .flatMap((line, i) =>
        [...line.matchAll(/\bexamples\/[\w./-]+\.(?:ya?ml|md|json|jsonl)\b/g)]
          .filter((m) => !existsSync(join(REPO, m[0])))
          .map((m) => `${file}:${i + 1}: ${m[0]}`),
      ),
  );
  assert.deepEqual(missing, []);
});
