import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import MiniSearch, { type SearchResult } from "minisearch";
import { describeError } from "../../shared/errors.ts";
import { normalizeTerm } from "./normalize-term.ts";
import { type KnowledgeEntry, knowledgeError, parseKnowledgeFile } from "./parse-knowledge-file.ts";

export interface KnowledgeMatch {
  readonly entry: KnowledgeEntry;
  /** 0..1; see "Confidence" in docs/builtin-agent.md. */
  readonly confidence: number;
}

export interface KnowledgeBase {
  readonly entries: readonly KnowledgeEntry[];
  /** Best matches first; entries sharing no term with `query` are never returned. */
  search(query: string, limit?: number): KnowledgeMatch[];
}

interface IndexedEntry {
  id: number;
  question: string;
  also: string;
  answer: string;
}

// A question's words say what an entry is about; an answer mentions much else besides.
const BOOST = { question: 3, also: 2, answer: 0.5 };
const TOKEN_SEPARATOR = /[\n\r\p{Z}\p{P}\p{S}]+/u;

/** Reads every `*.md` file of `dir` (not sub-folders), in name order. */
export function loadKnowledgeBase(dir: string): KnowledgeBase {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith(".md"))
      .map((f) => f.name)
      .sort();
  } catch (e) {
    throw knowledgeError(dir, `cannot read the knowledge folder (${describeError(e)})`);
  }
  if (names.length === 0) throw knowledgeError(dir, "no .md files in the knowledge folder");
  return createKnowledgeBase(
    names.flatMap((name) => {
      const file = join(dir, name);
      return parseKnowledgeFile(readFileSync(file, "utf8"), file);
    }),
  );
}

/** Builds the index once; `search` then costs tens of microseconds on a few dozen entries. */
export function createKnowledgeBase(entries: readonly KnowledgeEntry[]): KnowledgeBase {
  const index = new MiniSearch<IndexedEntry>({
    fields: ["question", "also", "answer"],
    tokenize: (text) => text.split(TOKEN_SEPARATOR),
    processTerm: normalizeTerm,
    searchOptions: {
      boost: BOOST,
      // Queries arrive already normalised by `queryTerms`.
      processTerm: (term) => term,
      prefix: (term) => term.length >= 4,
      // One typo in words of 5+ letters, two from 9: enough for "warrenty" or "recieved"
      // without letting "ship" reach "shop".
      fuzzy: (term) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : false),
    },
  });
  index.addAll(
    entries.map((entry, id) => ({
      id,
      question: entry.question,
      also: entry.alternatives.join("\n"),
      answer: entry.answer,
    })),
  );

  // What each entry scores when asked its own question: the top of its confidence scale.
  const fullScores = entries.map((entry, id) => {
    const own = rawSearch(index, queryTerms(entry.question)).find((r) => r.id === id);
    if (!own) throw knowledgeError(entry.source, "the question has no searchable words");
    return bm25(own);
  });

  return {
    entries,
    search(query, limit = 3) {
      const terms = queryTerms(query);
      return rawSearch(index, terms)
        .map((result) => ({
          entry: entries[result.id] as KnowledgeEntry,
          confidence: confidence(result, fullScores[result.id] ?? 1, terms.length),
        }))
        .sort((a, b) => b.confidence - a.confidence)
        .slice(0, limit);
    },
  };
}

function queryTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const token of text.split(TOKEN_SEPARATOR)) {
    const term = normalizeTerm(token);
    if (term) terms.add(term);
  }
  return [...terms];
}

function rawSearch(index: MiniSearch<IndexedEntry>, terms: string[]): SearchResult[] {
  return terms.length === 0 ? [] : index.search(terms.join(" "));
}

/**
 * Geometric mean of two 0..1 signals, so both must be high:
 * - strength: the BM25 score relative to the entry's score for its own question (capped
 *   at 1), which makes the scale independent of the knowledge base's size and wording;
 * - coverage: the share of the message's terms the entry matched at all, so one shared
 *   common word ("phone") in an otherwise unrelated message stays low.
 */
function confidence(result: SearchResult, fullScore: number, termCount: number): number {
  const strength = Math.min(1, bm25(result) / fullScore);
  const coverage = result.queryTerms.length / termCount;
  return Math.sqrt(strength * coverage);
}

/**
 * MiniSearch multiplies the summed BM25 by the number of query terms matched; undo that so
 * strength grows linearly with what matched and coverage alone accounts for term counts.
 */
function bm25(result: SearchResult): number {
  return result.score / Math.max(1, result.queryTerms.length);
}
