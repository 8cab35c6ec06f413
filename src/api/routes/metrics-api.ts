import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  closedUntil,
  isMetricName,
  METRIC_NAMES,
  METRICS,
  MINUTE_MS,
  readMetricSeries,
} from "../../monitoring/rollups/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Store } from "../../store/index.ts";
import { iso } from "../views.ts";

/** Points one series may have: a day by the minute, a year by the hour... */
export const MAX_POINTS = 1440;

/** ISO 8601 or epoch milliseconds. */
export const instant = z.union([
  z
    .string()
    .regex(/^\d+$/)
    .transform((v) => Number(v)),
  z.iso.datetime({ offset: true }).transform((v) => Date.parse(v)),
]);

const label = z.string().min(1).max(200);

const metricsQuery = z.object({
  metric: z.string().optional(),
  agent: label.optional(),
  version: label.optional(),
  channel: label.optional(),
  /** Comma-separated: one series per value of these labels. */
  groupBy: z
    .string()
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(z.enum(["agent", "version", "channel"])))
    .optional(),
  from: instant.optional(),
  to: instant.optional(),
  /** Seconds per point. */
  step: z.coerce
    .number()
    .int()
    .positive()
    .refine((s) => s % 60 === 0, "a multiple of 60 seconds")
    .default(60),
});

/** Per-minute rollups as chart-ready series: `GET /api/v1/metrics`. */
export async function metricsApiRoutes(app: FastifyInstance, opts: { store: Store; clock: Clock }) {
  const { store, clock } = opts;

  app.get("/api/v1/metrics", async (request) => {
    const q = parseInput(metricsQuery, request.query, "query");
    const stepMs = q.step * 1000;
    const metrics = metricNames(q.metric);
    // Whole minutes: the rollups hold nothing finer.
    const to = Math.ceil((q.to ?? closedUntil(clock.now())) / MINUTE_MS) * MINUTE_MS;
    const from = Math.floor((q.from ?? to - 60 * stepMs) / MINUTE_MS) * MINUTE_MS;
    if (from >= to) {
      throw new MainstayError("MS_METRICS_RANGE", "query.from: must be before to", 400);
    }
    const points = Math.ceil((to - from) / stepMs);
    if (points > MAX_POINTS) {
      throw new MainstayError(
        "MS_METRICS_RANGE",
        `query: ${points} points asked for, at most ${MAX_POINTS}; use a larger step or a shorter range`,
        400,
      );
    }
    const series = await readMetricSeries(store, {
      metrics,
      from,
      to,
      stepMs,
      filter: { agent: q.agent, version: q.version, channel: q.channel },
      groupBy: q.groupBy ?? [],
    });
    const rolledUpTo = await store.metricRollups.progress();
    return {
      from: iso(from),
      to: iso(to),
      step: q.step,
      rolledUpTo: rolledUpTo === undefined ? null : iso(rolledUpTo),
      timestamps: Array.from({ length: points }, (_, i) => from + i * stepMs),
      series: series.map((s) => ({ ...s, unit: METRICS[s.metric].unit })),
    };
  });
}

function metricNames(requested: string | undefined) {
  if (requested === undefined) return METRIC_NAMES;
  const names = requested.split(",").filter(Boolean);
  const unknown = names.find((n) => !isMetricName(n));
  if (unknown !== undefined || names.length === 0) {
    throw new MainstayError(
      "MS_METRIC_UNKNOWN",
      `query.metric: unknown metric "${unknown ?? ""}"; known: ${METRIC_NAMES.join(", ")}`,
      400,
    );
  }
  return names.filter(isMetricName);
}
