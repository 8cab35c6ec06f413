import { z } from "zod";

/** What retention can purge, each on its own clock (docs/governance.md). */
export const DATA_CLASSES = ["messages", "attachments", "evidence", "traces", "turns"] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `12h`, `30d`, `8w`: how long a class is kept after it was stored. */
const durationSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,5}[hdw]$/, "expected a duration such as 12h, 30d or 8w")
  .transform((s) => Number(s.slice(0, -1)) * UNIT_MS[s.at(-1) as keyof typeof UNIT_MS]);

/** Durations per data class; a class left out is kept for ever. */
const periodsSchema = z.strictObject(
  Object.fromEntries(DATA_CLASSES.map((c) => [c, durationSchema.optional()])) as Record<
    DataClass,
    z.ZodOptional<typeof durationSchema>
  >,
);
export type RetentionPeriods = z.infer<typeof periodsSchema>;

/** `retention:` in mainstay.yaml. Nothing set: nothing is ever purged. */
export const retentionConfigSchema = z.strictObject({
  /** For every channel without its own entry. */
  default: periodsSchema.default({}),
  /** Per channel id; replaces `default` class by class (a class left out uses `default`). */
  channels: z.record(z.string().min(1), periodsSchema).default({}),
  /**
   * How long audit entries are kept (all channels: they belong to none); absent, for ever.
   * The oldest go first and the chain is verified from where they stopped (purge-audit.ts).
   */
  audit: durationSchema.optional(),
  /** How often a worker runs the purge. */
  interval: durationSchema.prefault("1h"),
});
export type RetentionConfig = z.infer<typeof retentionConfigSchema>;
