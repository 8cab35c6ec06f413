import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Direction, Guard } from "../../src/guardrails/index.ts";

/** One labelled message of the evaluation set (test/fixtures/guardrails/*.jsonl). */
export interface EvalMessage {
  file: string;
  text: string;
  direction: Direction;
  channel: string;
  /** Finding types the message must produce; every other type must stay silent. */
  expect: string[];
  /** PII values that must not survive redaction. */
  values: string[];
}

export interface TypeScore {
  type: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

const FIXTURES = new URL("../fixtures/guardrails/", import.meta.url);

export function loadEvalSet(): EvalMessage[] {
  const dir = FIXTURES.pathname;
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((file) =>
      readFileSync(join(dir, file), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          const row = JSON.parse(line) as Partial<EvalMessage> & { text: string };
          return {
            file,
            text: row.text,
            direction: row.direction ?? "inbound",
            channel: row.channel ?? "sms",
            expect: row.expect ?? [],
            values: row.values ?? [],
          };
        }),
    );
}

/** Message-level precision and recall per finding type. */
export function scoreByType(
  messages: EvalMessage[],
  detected: Set<string>[],
): Map<string, TypeScore> {
  const scores = new Map<string, TypeScore>();
  const score = (type: string) => {
    let s = scores.get(type);
    if (!s) {
      s = { type, tp: 0, fp: 0, fn: 0, precision: 1, recall: 1 };
      scores.set(type, s);
    }
    return s;
  };
  messages.forEach((m, i) => {
    const found = detected[i]!;
    for (const type of m.expect) {
      if (found.has(type)) score(type).tp++;
      else score(type).fn++;
    }
    for (const type of found) if (!m.expect.includes(type)) score(type).fp++;
  });
  for (const s of scores.values()) {
    s.precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
    s.recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
  }
  return scores;
}

export function detectTypes(guard: Guard, messages: EvalMessage[]): Set<string>[] {
  return messages.map(
    (m) =>
      new Set(
        guard
          .check({ direction: m.direction, channel: m.channel, text: m.text })
          .findings.map((f) => f.type),
      ),
  );
}
