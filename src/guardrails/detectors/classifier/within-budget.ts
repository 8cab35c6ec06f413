import type { ModelDetector, ModelVerdict } from "../../detector.ts";
import type { Action, Detection } from "../../finding.ts";
import type { LabelScore, ScoreText } from "./label-scores.ts";
import { ResultCache } from "./result-cache.ts";

interface BudgetOptions {
  labels: Record<string, number>;
  budgetMs: number;
  onTimeout: Action;
  cacheSize: number;
}

/**
 * A scorer as a model detector: answers from the cache when it can, otherwise waits for
 * the model at most `budgetMs`. A late HTTP call is aborted; a late local run finishes in
 * the background and fills the cache for the next time the same text comes.
 */
export function withinBudget(score: ScoreText, options: BudgetOptions): ModelDetector {
  const cache = new ResultCache(options.cacheSize);
  const unanswered = (
    outcome: "timeout" | "error" | "skipped",
    ms: number,
    text: string,
    detail: Record<string, unknown> = {},
  ): ModelVerdict => ({
    outcome,
    ms,
    action: options.onTimeout,
    detections: [
      {
        type: `classifier.${outcome === "error" ? "error" : "timeout"}`,
        start: 0,
        end: text.length,
        score: 0,
        evidence: { tier: "model", reason: outcome, budgetMs: options.budgetMs, ...detail },
      },
    ],
  });
  return {
    tier: "model",
    skipped: (text) => unanswered("skipped", 0, text),
    async classify(text) {
      const key = cache.key(text);
      const cached = cache.get(key);
      if (cached) return scored(cached, "cached", 0, text, options.labels);
      const started = performance.now();
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), options.budgetMs);
      });
      const call = score(text, controller.signal).then((scores) => {
        cache.set(key, scores);
        return scores;
      });
      try {
        const result = await Promise.race([call, late]);
        const ms = performance.now() - started;
        if (result !== "late") return scored(result, "scored", ms, text, options.labels);
        controller.abort();
        // Its failure, now or later, is the abort this verdict already reports.
        call.catch(() => {});
        return unanswered("timeout", ms, text);
      } catch (e) {
        return unanswered("error", performance.now() - started, text, {
          error: (e as Error).message,
        });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function scored(
  scores: LabelScore[],
  outcome: "scored" | "cached",
  ms: number,
  text: string,
  thresholds: Record<string, number>,
): ModelVerdict {
  const detections: Detection[] = [];
  for (const { label, score } of scores) {
    if (!Object.hasOwn(thresholds, label) || score < thresholds[label]!) continue;
    const threshold = thresholds[label];
    detections.push({
      type: `classifier.${label.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`,
      start: 0,
      end: text.length,
      score,
      evidence: { tier: "model", label, threshold },
    });
  }
  return { outcome, ms, detections };
}
