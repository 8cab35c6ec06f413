import { type Lang, type Slot, VOICES, type Voice } from "./commitment-voices.ts";
import { itemHash, type OwnExample } from "./own-example.ts";

/** Templates written together: each template is one item, all with the group's label. */
export interface TemplateGroup {
  /** Item prefix, e.g. "pos-refund"; the template's position numbers the item. */
  prefix: string;
  lang: Lang;
  commitment: boolean;
  templates: readonly string[];
}

const EMOJI = [" 🙂", " 👍", " 😊", " 🙏"];

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length]!;
}

function fillSlots(text: string, voice: Voice, seed: number): string {
  return text.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const values = voice.slots[slot as Slot];
    if (!values) throw new Error(`unknown slot {${slot}} in "${text}"`);
    // Offset by the slot's name so two slots in one template do not move in lock-step.
    return pick(values, seed + slot.length * 3);
  });
}

/** A chat-typed typo: two letters swapped inside the first long word. */
function typo(text: string): string {
  return text.replace(/\b([a-z])([a-z])([a-z])([a-z]{3,})\b/, "$1$3$2$4");
}

/** Lower-case and no final full stop, as replies typed on a phone read. */
function casual(text: string): string {
  return text.toLowerCase().replace(/\.$/, "");
}

/** Wraps a body in an opener and/or closer and sometimes roughens it; k is the variant. */
function dress(body: string, voice: Voice, seed: number, k: number): string {
  const frame = (seed + k) % 4;
  const opener = fillSlots(pick(voice.openers, seed + k * 5), voice, seed + k);
  const closer = pick(voice.closers, seed + k * 3);
  // A greeting ending in a comma starts a letter: the body goes on the next line.
  const gap = opener.endsWith(",") ? (seed % 2 === 0 ? "\n\n" : "\n") : " ";
  let text = body;
  if (frame === 1 || frame === 3) text = `${opener}${gap}${text}`;
  if (frame === 2 || frame === 3) text = `${text}${/[\p{L}\d]$/u.test(text) ? "." : ""} ${closer}`;
  if (k === 2 && seed % 3 === 0) text = casual(text);
  if (k === 3 && seed % 2 === 0) text = typo(text);
  if ((seed + k) % 7 === 0) text += pick(EMOJI, seed);
  return text;
}

/**
 * Copies of one template: more copies when it has slots to vary, at most five, so no
 * template outweighs the others (the split is per item, not per text).
 */
function expandTemplate(template: string, item: string, voice: Voice): string[] {
  const seed = itemHash(item);
  const count = template.includes("{") ? 4 : 3;
  const texts: string[] = [];
  for (let k = 0; k < count; k++) {
    texts.push(dress(fillSlots(template, voice, seed + k), voice, seed, k).trim());
  }
  return texts;
}

export function expandGroup(group: TemplateGroup): OwnExample[] {
  const voice = VOICES[group.lang];
  return group.templates.flatMap((template, i) => {
    const item = `${group.prefix}-${String(i + 1).padStart(3, "0")}`;
    return expandTemplate(template, item, voice).map((text) => ({
      item,
      text,
      labels: group.commitment ? ["commitment"] : [],
    }));
  });
}
