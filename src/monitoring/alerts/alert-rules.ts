import { z } from "zod";
import { configNumber } from "../../shared/config-number.ts";
import { destinationSchema } from "../notifiers/destinations.ts";
import { SEVERITIES } from "../notifiers/notification.ts";
import { MINUTE_MS } from "../rollups/compute-rollups.ts";
import { METRIC_NAMES } from "../rollups/metric-catalogue.ts";
import { BUILTIN_RULES } from "./builtin-rules.ts";
import { isLiveMetric, LIVE_METRICS } from "./live-metrics.ts";

/** `5m`, `1h`: whole minutes, because the rollups are per minute. */
const windowSchema = z
  .string()
  .regex(/^[1-9]\d*[mh]$/, 'a number of minutes or hours, like "10m" or "1h"')
  .transform((v) => Number.parseInt(v, 10) * (v.endsWith("h") ? 60 : 1) * MINUTE_MS)
  .refine((ms) => ms <= 24 * 60 * MINUTE_MS, "at most 24h");

/**
 * Every part given must hold. `above`/`below` compare the value with a number; `increase`
 * and `decrease` compare it with the same metric over the previous window or on the
 * baseline (active) version, as a fraction: `increase: 1` fires above double.
 */
const conditionSchema = z
  .object({
    above: configNumber(z.number()).optional(),
    below: configNumber(z.number()).optional(),
    increase: configNumber(z.number().positive()).optional(),
    decrease: configNumber(z.number().positive().max(1)).optional(),
    against: z.enum(["previous", "baseline"]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const change = c.increase !== undefined || c.decrease !== undefined;
    if (!change && c.above === undefined && c.below === undefined) {
      ctx.addIssue({ code: "custom", message: "give above, below, increase or decrease" });
    }
    if (change !== (c.against !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["against"],
        message:
          "increase and decrease need against (previous or baseline), and against needs one of them",
      });
    }
  });

export type AlertCondition = z.output<typeof conditionSchema>;

const ruleName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, "lowercase letters, digits, _, . and -");

const ruleSchema = z
  .object({
    name: ruleName,
    /** Said in every notification of the rule. */
    summary: z.string().min(1).optional(),
    metric: z.enum([
      ...METRIC_NAMES,
      ...(Object.keys(LIVE_METRICS) as (keyof typeof LIVE_METRICS)[]),
    ]),
    window: windowSchema,
    /** One alert per value of these labels (a version always comes with its agent). */
    groupBy: z.array(z.enum(["agent", "version", "channel"])).default([]),
    condition: conditionSchema,
    severity: z.enum(SEVERITIES).default("warning"),
    /** Ratios and means with fewer observations in the window are not judged. */
    minSample: configNumber(z.number().int().min(0)).default(1),
    /** Destination names; every destination when absent. */
    destinations: z.array(z.string()).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (isLiveMetric(rule.metric) && (rule.groupBy.length > 0 || rule.condition.against)) {
      ctx.addIssue({
        code: "custom",
        path: ["metric"],
        message: `${rule.metric} is read from the job queue now: no groupBy or against`,
      });
    }
  });

export type AlertRule = z.output<typeof ruleSchema>;

/**
 * The `alerts:` block. Rules named like a built-in rule change only the fields they give
 * (`{ name: csat_drop, enabled: false }` turns it off); other rules are complete rules.
 */
export const alertsConfigSchema = z
  .object({
    /** Least time between two messages to one destination: a storm becomes one message. */
    minIntervalSeconds: configNumber(z.number().int().min(0).max(86_400)).default(300),
    destinations: z.array(destinationSchema).default([]),
    rules: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .strict()
  .transform((alerts, ctx) => {
    const names = new Set<string>();
    alerts.destinations.forEach((d, i) => {
      if (names.has(d.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["destinations", i, "name"],
          message: `duplicate destination name "${d.name}"`,
        });
      }
      names.add(d.name);
    });
    const ruleNames = new Set<unknown>();
    alerts.rules.forEach((rule, i) => {
      if (ruleNames.has(rule["name"])) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "name"],
          message: `duplicate rule name "${String(rule["name"])}"`,
        });
      }
      ruleNames.add(rule["name"]);
    });
    const rules: AlertRule[] = [];
    for (const [i, raw] of mergeWithBuiltins(alerts.rules)) {
      const parsed = ruleSchema.safeParse(raw);
      const at = i === undefined ? ["builtin", String(raw["name"])] : ["rules", i];
      for (const issue of parsed.error?.issues ?? []) {
        ctx.addIssue({ ...issue, path: [...at, ...issue.path] } as never);
      }
      if (!parsed.success) continue;
      for (const name of parsed.data.destinations ?? []) {
        if (!names.has(name)) {
          ctx.addIssue({
            code: "custom",
            path: [...at, "destinations"],
            message: `no destination named "${name}"`,
          });
        }
      }
      if (parsed.data.enabled) rules.push(parsed.data);
    }
    return {
      minIntervalMs: alerts.minIntervalSeconds * 1000,
      destinations: alerts.destinations,
      rules,
    };
  });

export type AlertsConfig = z.output<typeof alertsConfigSchema>;

type RawRule = Record<string, unknown>;

/** Built-in rules with the user's changes, then the user's own rules, with their index. */
function mergeWithBuiltins(user: RawRule[]): [number | undefined, RawRule][] {
  const byName = new Map(user.map((rule, i) => [rule["name"], i]));
  const merged: [number | undefined, RawRule][] = BUILTIN_RULES.map((builtin) => {
    const i = byName.get(builtin.name);
    return i === undefined ? [undefined, builtin] : [i, { ...builtin, ...user[i] }];
  });
  const builtinNames = new Set<unknown>(BUILTIN_RULES.map((r) => r.name));
  user.forEach((rule, i) => {
    if (!builtinNames.has(rule["name"])) merged.push([i, rule]);
  });
  return merged;
}
