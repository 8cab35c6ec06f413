import { seededRandom } from "../../../shared/random.ts";
import { itemHash, type OwnExample } from "./own-example.ts";

/** Values for a template's `{slot}`s, e.g. `{ g: "refugees", a: "a refugee" }`. */
export type Filler = Readonly<Record<string, string>>;

/**
 * Written templates that share labels. Each template is one item; its copies differ by
 * filler and by the surface style a customer's message takes (opener, casing, typos).
 */
export interface TemplateSet {
  /** Item prefix: template 7 of "hate-derog" is item "hate-derog-007". */
  name: string;
  labels: string[];
  templates: string[];
  /** Rotated through the copies; a template without slots ignores them. */
  fillers?: readonly Filler[];
  copies: number;
  /**
   * The last of three or more copies respells the word in `[brackets]` (or else the first
   * filled value) the way people dodge word filters: leet, spaced or dropped letters.
   */
  obfuscate?: boolean;
}

// Openers and closers are shared by every label so that they carry no signal of their own.
const OPENERS = [
  "Hi,",
  "Hello,",
  "hey",
  "Good morning,",
  "Re: order 55821 -",
  "Quick message:",
  "Ok so",
  "Listen,",
  "Honestly",
  "To whoever reads this:",
  "Third time contacting you.",
  "I've been on hold for an hour.",
  "Regarding my broadband complaint:",
  "Dear Sir/Madam,",
  "So yeah,",
  "Just so you know,",
  "Ticket #40912:",
  "Hi team,",
  "Morning.",
  "About my last bill -",
];

const CLOSERS = [
  "Thanks.",
  "Sort it out.",
  "Regards, J.",
  "Sent from my iPhone",
  "Reply ASAP.",
  "That's all.",
  "cheers",
  "Order ref 88213.",
  "I want a callback.",
  "Kind regards",
  "Account no. 7741-220.",
  "Waiting for your reply.",
  "thx",
  "- Sent from Mail for Windows",
];

const EMOJI = ["😡", "🙄", "😤", "👎", "😂", "🤷", "😒", "🙏", "👍", "😭"];

const LEET: Record<string, string> = { a: "4", e: "3", i: "1", o: "0", s: "5" };

// Filled values are fenced so that obfuscation can find them; the fences never survive.
const OPEN = "\ue000";
const CLOSE = "\ue001";

export function expandSet(set: TemplateSet): OwnExample[] {
  const fillers = set.fillers && set.fillers.length > 0 ? set.fillers : [{}];
  const step = coprimeStep(fillers.length);
  return set.templates.flatMap((template, i) => {
    const item = `${set.name}-${String(i + 1).padStart(3, "0")}`;
    const offset = itemHash(item) % fillers.length;
    const texts = Array.from({ length: set.copies }, (_, j) => {
      const filler = fillers[(offset + j * step) % fillers.length]!;
      const obfuscate = set.obfuscate === true && set.copies >= 3 && j === set.copies - 1;
      return styleCopy(fill(template, filler), j, itemHash(`${item}#${j}`), obfuscate);
    });
    return texts.map((text) => ({ item, text, labels: [...set.labels] }));
  });
}

function fill(template: string, filler: Filler): string {
  return template.replace(/\{(\w+)\}/g, (whole, slot: string) => {
    const value = filler[slot];
    if (value === undefined) throw new Error(`no filler for ${whole} in "${template}"`);
    return `${OPEN}${value}${CLOSE}`;
  });
}

/** Copy 0 is the template as written; later copies vary the way real messages do. */
function styleCopy(marked: string, copy: number, seed: number, obfuscate: boolean): string {
  const random = seededRandom(seed);
  const roll = () => random.next();
  let text = unmark(obfuscate ? respellMarked(marked, roll) : marked);
  if (copy === 0) return capitalise(text);
  if (roll() < 0.25) text = retouchEnd(text, roll);
  if (roll() < 0.2) text = addTypo(text, roll);
  const opener = roll() < 0.35 ? pick(OPENERS, roll) : "";
  const closer = roll() < 0.3 ? pick(CLOSERS, roll) : "";
  // After "Hi," or "Honestly" the sentence runs on; a filled name keeps its own case.
  if (!/[a-z,]$/i.test(opener)) text = capitalise(text);
  else if (!marked.startsWith(OPEN)) text = decapitalise(text);
  text = [opener, text, closer].filter(Boolean).join(" ");
  const casing = roll();
  if (casing < 0.3) text = text.toLowerCase();
  else if (casing < 0.36 && text.length < 80) text = text.toUpperCase();
  if (roll() < 0.12) text = `${text} ${pick(EMOJI, roll)}`;
  // A copy that came out as written would only be dropped as a duplicate.
  if (text === capitalise(unmark(marked))) text = `${text} ${pick(CLOSERS, roll)}`;
  return text;
}

function respellMarked(marked: string, roll: () => number): string {
  const bracket = /\[([^\]]+)\]/.exec(marked);
  const fenced = new RegExp(`${OPEN}([^${CLOSE}]+)${CLOSE}`).exec(marked);
  const target = bracket ?? fenced;
  if (!target) return marked;
  const respelled = respell(target[1]!, Math.floor(roll() * 5));
  return marked.slice(0, target.index) + respelled + marked.slice(target.index + target[0].length);
}

/** The five ways of dodging a word filter seen most in moderation queues. */
export function respell(word: string, way: number): string {
  switch (way) {
    case 0:
      return word.replace(/[aeios]/gi, (c) => LEET[c.toLowerCase()] ?? c);
    case 1:
      return word.split(" ").map(spaceLetters).join("  ");
    case 2:
      return word.replace(/\B[aeiou]\B/gi, "");
    case 3:
      return word.replace(/\B[aeiou]/i, "*");
    default:
      return word
        .split(" ")
        .map((w) => w.split("").join("."))
        .join(" ");
  }
}

function spaceLetters(word: string): string {
  return word.split("").join(" ");
}

function unmark(text: string): string {
  return text.replace(/[[\]\ue000\ue001]/g, "");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Lower-cases a sentence's first word unless it is "I..." or starts a proper name. */
function decapitalise(text: string): string {
  if (/^I\b/.test(text) || /^[A-Z]\S* [A-Z][a-z]/.test(text)) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function retouchEnd(text: string, roll: () => number): string {
  const bare = text.replace(/[.!]$/, "");
  return pick([bare, `${bare}!!`, `${bare}...`, `${bare}!`], roll);
}

/** One slip of the thumb in one longer word: swapped, dropped or doubled letter. */
function addTypo(text: string, roll: () => number): string {
  const words = text.split(" ");
  const candidates = words.flatMap((w, k) => (/^[a-z]{5,}$/i.test(w) ? [k] : []));
  if (candidates.length === 0) return text;
  const k = pick(candidates, roll);
  const w = words[k]!;
  const at = 1 + Math.floor(roll() * (w.length - 2));
  const way = Math.floor(roll() * 3);
  if (way === 0) words[k] = w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
  else if (way === 1) words[k] = w.slice(0, at) + w.slice(at + 1);
  else words[k] = w.slice(0, at) + w[at] + w.slice(at);
  return words.join(" ");
}

function pick<T>(items: readonly T[], roll: () => number): T {
  return items[Math.floor(roll() * items.length)]!;
}

/** A step through `n` fillers that visits every one before repeating. */
function coprimeStep(n: number): number {
  let step = 7;
  while (gcd(step, n) !== 1) step += 1;
  return step % n || 1;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** FNV-1a: a stable seed per item and copy, so editing one template moves no other. */
