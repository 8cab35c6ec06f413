import { basename } from "node:path";
import { MainstayError } from "../../shared/errors.ts";

/** One FAQ entry of a knowledge-base file; see docs/builtin-agent.md for the format. */
export interface KnowledgeEntry {
  /** `<file name without .md>#<question slug>`: stable while the question text is. */
  readonly id: string;
  /** The file's `# Title`, or its name without `.md` when it has none. */
  readonly category: string;
  readonly question: string;
  /** Other phrasings and keywords from the entry's `Also:` line. */
  readonly alternatives: readonly string[];
  /** Markdown, trimmed. */
  readonly answer: string;
  /** `<file>:<line>` of the entry's heading. */
  readonly source: string;
}

export function knowledgeError(location: string, problem: string): MainstayError {
  return new MainstayError("MS_KNOWLEDGE_INVALID", `${location}: ${problem}`, 400);
}

interface Draft {
  question: string;
  line: number;
  body: string[];
}

const TITLE = /^#[ \t]+(.+?)[ \t]*$/;
// Level-2 headings only: a `###` inside an answer stays part of the answer.
const QUESTION = /^##(?=[ \t]|$)(.*)$/;
const ALSO = /^Also:(.*)$/i;

/** Parses one knowledge-base file; `file` is only used for ids and error locations. */
export function parseKnowledgeFile(text: string, file: string): KnowledgeEntry[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const stem = basename(file, ".md");
  const title = TITLE.exec(lines[0] ?? "");
  const category = title?.[1] ?? stem;
  const drafts: Draft[] = [];
  for (let i = title ? 1 : 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heading = QUESTION.exec(line);
    const current = drafts.at(-1);
    if (heading) drafts.push({ question: (heading[1] ?? "").trim(), line: i + 1, body: [] });
    else if (current) current.body.push(line);
    else if (line.trim() !== "") {
      throw knowledgeError(`${file}:${i + 1}`, "text before the first `## Question` heading");
    }
  }
  if (drafts.length === 0) throw knowledgeError(`${file}:1`, "no `## Question` headings");

  const seen = new Map<string, number>();
  return drafts.map((draft) => {
    const entry = toEntry(draft, file, stem, category);
    const first = seen.get(entry.id);
    if (first !== undefined) {
      throw knowledgeError(entry.source, `duplicate question, first asked at line ${first}`);
    }
    seen.set(entry.id, draft.line);
    return entry;
  });
}

function toEntry(draft: Draft, file: string, stem: string, category: string): KnowledgeEntry {
  const source = `${file}:${draft.line}`;
  if (draft.question === "") throw knowledgeError(source, "heading has no question text");
  const body = [...draft.body];
  // The `Also:` line must come right after the heading so an answer may start a line with
  // "Also:" without it being taken as alternatives.
  const firstText = body.findIndex((line) => line.trim() !== "");
  const also = firstText >= 0 ? ALSO.exec(body[firstText] ?? "") : null;
  let alternatives: string[] = [];
  if (also) {
    alternatives = (also[1] ?? "")
      .split(",")
      .map((phrase) => phrase.trim())
      .filter((phrase) => phrase !== "");
    if (alternatives.length === 0) throw knowledgeError(source, "`Also:` line lists nothing");
    body.splice(firstText, 1);
  }
  const answer = body.join("\n").trim();
  if (answer === "") throw knowledgeError(source, `"${draft.question}" has no answer`);
  const slug = draft.question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-|-$/g, "");
  return {
    id: `${stem}#${slug}`,
    category,
    question: draft.question,
    alternatives,
    answer,
    source,
  };
}
