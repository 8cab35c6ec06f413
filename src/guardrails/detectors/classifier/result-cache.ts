import { createHash } from "node:crypto";
import type { LabelScore } from "./label-scores.ts";

/**
 * The last `size` answers by SHA-256 of the text, least recently used out first: a
 * customer who sends the same text again (or a retried webhook) costs no second call.
 * Keys are hashes, so the cache holds no message text.
 */
export class ResultCache {
  private readonly entries = new Map<string, LabelScore[]>();
  constructor(private readonly size: number) {}

  key(text: string): string {
    return createHash("sha256").update(text).digest("base64url");
  }

  get(key: string): LabelScore[] | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, scores: LabelScore[]): void {
    if (this.size === 0) return;
    this.entries.delete(key);
    this.entries.set(key, scores);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
}
