import { z } from "zod";
import { channelConfigSchema } from "../channels/registry.ts";

const serverSchema = z
  .object({
    host: z.string().default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(3000),
    /** The URL customers and vendors reach this server at (behind a proxy it differs). */
    publicUrl: z.url().optional(),
    /** Largest request body accepted, in bytes. */
    bodyLimit: z
      .number()
      .int()
      .positive()
      .default(256 * 1024),
  })
  .strict();

const storageSchema = z
  .object({
    /** Folder for the SQLite database and the generated admin key (relative to the working directory). */
    dataDir: z.string().default("./data"),
    /** PostgreSQL URL; `DATABASE_URL` in the environment wins when set. */
    databaseUrl: z.string().optional(),
  })
  .strict();

const agentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _"),
    version: z.string().min(1).default("1"),
    type: z.literal("builtin"),
    /** Folder of markdown FAQ files, relative to the config file. */
    knowledgeDir: z.string(),
    /** Retrieval confidence (0..1) below which the agent hands off to a person. */
    threshold: z.number().min(0).max(1).optional(),
    handoffText: z.string().min(1).optional(),
    greetingText: z.string().min(1).optional(),
  })
  .strict();

const outboxSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(8),
    /** First retry delay; each later one doubles, with jitter, up to maxDelayMs. */
    baseDelayMs: z.number().int().min(0).default(1000),
    maxDelayMs: z
      .number()
      .int()
      .min(0)
      .default(5 * 60 * 1000),
    /** Jobs a worker runs at once. */
    concurrency: z.number().int().min(1).max(256).default(8),
    /** A claimed job not finished within this time is taken again (crashed worker). */
    leaseMs: z.number().int().min(1000).default(60_000),
    pollIntervalMs: z.number().int().min(10).default(500),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.prefault({}),
    storage: storageSchema.prefault({}),
    agent: agentSchema,
    channels: z.array(channelConfigSchema).min(1),
    outbox: outboxSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.channels.forEach((channel, i) => {
      if (seen.has(channel.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["channels", i, "id"],
          message: `duplicate channel id "${channel.id}"`,
        });
      }
      seen.add(channel.id);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type ServerConfig = Config["server"];
export type OutboxConfig = Config["outbox"];
export type AgentConfig = Config["agent"];
