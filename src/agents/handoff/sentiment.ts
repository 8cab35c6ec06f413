/**
 * A small lexicon sentiment scorer for customer messages (no model download): the sum of
 * word weights, with negation ("not happy") flipping the next two words and intensifiers
 * ("very", "so") doubling the next one, clamped to -1..1. It catches frustration in
 * support chats, not irony; documented in docs/handoff.md.
 */
const WEIGHTS: Record<string, number> = {
  // negative
  angry: -2,
  annoyed: -1.5,
  awful: -2,
  bad: -1,
  broken: -1,
  cancel: -0.5,
  complaint: -1.5,
  disappointed: -2,
  disgusting: -2,
  frustrated: -2,
  frustrating: -2,
  furious: -3,
  garbage: -2,
  hate: -2.5,
  horrible: -2.5,
  joke: -1,
  lied: -2,
  lies: -2,
  mad: -1.5,
  never: -0.5,
  pathetic: -2.5,
  problem: -0.5,
  ridiculous: -2,
  rubbish: -2,
  scam: -3,
  sick: -1,
  terrible: -2.5,
  unacceptable: -2.5,
  unhappy: -2,
  upset: -2,
  useless: -2.5,
  waste: -2,
  worst: -3,
  wrong: -1,
  fed: -1,
  stupid: -2,
  incompetent: -2.5,
  nonsense: -2,
  // positive
  amazing: 2,
  appreciate: 1.5,
  awesome: 2,
  excellent: 2,
  fantastic: 2,
  glad: 1.5,
  good: 1,
  great: 1.5,
  happy: 1.5,
  helpful: 1.5,
  love: 2,
  nice: 1,
  perfect: 2,
  pleased: 1.5,
  resolved: 1,
  solved: 1,
  thank: 1.5,
  thanks: 1.5,
  wonderful: 2,
  works: 1,
};
const NEGATORS = new Set([
  "not",
  "no",
  "never",
  "dont",
  "don't",
  "isnt",
  "isn't",
  "wasnt",
  "wasn't",
  "cant",
  "can't",
  "won't",
  "wont",
]);
const INTENSIFIERS = new Set(["very", "so", "really", "extremely", "totally", "absolutely"]);

export function sentimentScore(text: string): number {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  let score = 0;
  let flip = 0;
  let boost = 1;
  for (const word of words) {
    const weight = WEIGHTS[word];
    if (weight !== undefined) {
      score += weight * boost * (flip > 0 ? -0.5 : 1);
      boost = 1;
    } else if (INTENSIFIERS.has(word)) {
      boost = 2;
      continue;
    }
    if (flip > 0) flip--;
    if (NEGATORS.has(word)) flip = 2;
  }
  // Shouting reads as frustration.
  const letters = text.replace(/[^A-Za-z]/g, "");
  if (letters.length >= 8 && letters === letters.toUpperCase()) score -= 1;
  return Math.max(-1, Math.min(1, score / 4));
}

/** True when each of the last `streak` customer messages scores below `threshold`. */
export function negativeStreak(texts: string[], streak: number, threshold = -0.15): boolean {
  if (streak < 1 || texts.length < streak) return false;
  return texts.slice(-streak).every((t) => sentimentScore(t) <= threshold);
}

/**
 * The customer's mood over a conversation: an exponentially weighted average of their
 * messages' scores (each message weighs twice the one before it), so it follows where the
 * conversation is heading. -1 (angry) to 1 (happy); stored on the conversation's outcome.
 */
export function sentimentTrend(
  history: readonly { direction: string; id: string; text: string }[],
  latest: { id: string },
): number {
  let trend = 0;
  let weight = 0;
  for (const m of history) {
    if (m.direction !== "inbound" || m.id > latest.id) continue;
    trend = weight === 0 ? sentimentScore(m.text) : (trend + sentimentScore(m.text)) / 2;
    weight++;
  }
  return Math.round(trend * 1000) / 1000;
}
