import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export const REPO = join(import.meta.dirname, "../..");

/** README.md and every page under docs/, as repository-relative paths, sorted. */
export function docFiles(): string[] {
  const pages = readdirSync(join(REPO, "docs"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"))
    .map((f) => relative(REPO, join(REPO, "docs", f)));
  return ["README.md", ...pages.sort()];
}

export interface FencedBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string, e.g. `sh illustrative`. */
  info: string;
  /** The first word of the info string (the language GitHub highlights). */
  lang: string;
  /** The lines between the fences, with the fence's own indentation removed. */
  body: string[];
}

/** Fenced code blocks (``` or ~~~, indented ones in list items too), in page order. */
export function fencedBlocks(file: string, text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: (FencedBlock & { fence: string; indent: number }) | undefined;
  text.split("\n").forEach((line, i) => {
    const fence = /^( *)(`{3,}|~{3,})(.*)$/.exec(line);
    if (!open) {
      if (!fence) return;
      const info = fence[3]!.trim();
      open = {
        file,
        line: i + 1,
        info,
        lang: info.split(/\s+/)[0] ?? "",
        body: [],
        fence: fence[2]!,
        indent: fence[1]!.length,
      };
      return;
    }
    if (fence && fence[2]!.startsWith(open.fence) && fence[3]!.trim() === "") {
      const { fence: _, indent: __, ...block } = open;
      blocks.push(block);
      open = undefined;
      return;
    }
    open.body.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
  });
  return blocks;
}

const SHELL_LANGS = new Set(["sh", "bash", "shell", "zsh", "console"]);

/**
 * The blocks the docs test holds to account: every block tagged as a shell language, and
 * an untagged block with a `$ ` prompt line (it should say what it is).
 */
export function shellBlocks(file: string): FencedBlock[] {
  return fencedBlocks(file, readFileSync(join(REPO, file), "utf8")).filter(
    (b) => SHELL_LANGS.has(b.lang) || (b.lang === "" && b.body.some((l) => l.startsWith("$ "))),
  );
}

export const isIllustrative = (block: FencedBlock) =>
  block.info.split(/\s+/).includes("illustrative");

export interface DocCommand {
  /** The command as one line (backslash continuations joined). */
  text: string;
  /** 1-based line in the page where it starts. */
  line: number;
  /** The comment lines right after it: lines its output must contain. */
  output: string[];
}

/**
 * The commands of a block. A comment line right after a command shows a line of that
 * command's output; comments before the first command are prose.
 */
export function commandsOf(block: FencedBlock): DocCommand[] {
  const commands: DocCommand[] = [];
  let continued: DocCommand | undefined;
  block.body.forEach((raw, i) => {
    const line = raw.trim();
    if (continued) {
      continued.text += ` ${line.replace(/\\$/, "").trim()}`;
      if (!line.endsWith("\\")) continued = undefined;
      return;
    }
    if (line === "") return;
    if (line.startsWith("#")) {
      const last = commands.at(-1);
      if (last && !line.startsWith("#!")) last.output.push(line.replace(/^#\s?/, ""));
      return;
    }
    const command = { text: line.replace(/\\$/, "").trim(), line: block.line + 1 + i, output: [] };
    commands.push(command);
    if (line.endsWith("\\")) continued = command;
  });
  return commands;
}
