import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A test card number (it passes the Luhn check, so the PII detector recognises it). */
const LEAK = " For your records, the card on file is 4111 1111 1111 1111.";

/**
 * The demo's deliberately regressed candidate: the example knowledge base with a card
 * number added to every other answer, as a bad content change would. Written to `dir`;
 * returns the questions (entry titles) simulated customers ask.
 */
export function writeRegressedKnowledge(sourceDir: string, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const questions: string[] = [];
  let entry = 0;
  for (const file of readdirSync(sourceDir)
    .filter((f) => f.endsWith(".md"))
    .sort()) {
    const lines = readFileSync(join(sourceDir, file), "utf8").split("\n");
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      out.push(line);
      if (!line.startsWith("## ")) continue;
      questions.push(line.slice(3).trim());
      // The answer is the first line after the heading that is not an `Also:` line.
      let j = i + 1;
      while (j < lines.length && (lines[j]!.startsWith("Also:") || lines[j]!.trim() === "")) {
        out.push(lines[j]!);
        j++;
      }
      if (j < lines.length) {
        out.push(entry % 2 === 0 ? `${lines[j]}${LEAK}` : lines[j]!);
        i = j;
      }
      entry++;
    }
    writeFileSync(join(dir, file), out.join("\n"));
  }
  return questions;
}
