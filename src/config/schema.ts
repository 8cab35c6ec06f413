import { z } from "zod";
import { resilienceFields } from "../agents/providers/index.ts";
import {
  disclosureSchema,
  priceTableSchema,
  secretNameSchema,
  settingNameSchema,
} from "../agents/versions/index.ts";
import { apiKeysSchema } from "../api/auth/index.ts";
import { channelConfigSchema } from "../channels/registry.ts";
import { complianceConfigSchema } from "../compliance/index.ts";
import { outcomeLabelsConfigSchema } from "../conversations/index.ts";
import { retentionConfigSchema } from "../governance/index.ts";
import { policySchema } from "../guardrails/index.ts";
import { limitsConfigSchema } from "../limits/index.ts";
import { alertsConfigSchema } from "../monitoring/alerts/index.ts";
import { telemetryConfigSchema } from "../monitoring/telemetry-config.ts";
import { proxyConfigSchema } from "../proxy/index.ts";
import { qualityConfigSchema } from "../quality/quality-config.ts";
import { configNumber } from "../shared/config-number.ts";
import { invalidAllowEntry } from "../shared/egress/index.ts";

const serverSchema = z
  .object({
    host: z.string().default("127.0.0.1"),
    port: configNumber(z.number().int().min(0).max(65535)).default(3000),
    /** The URL customers and vendors reach this server at (behind a proxy it differs). */
    publicUrl: z.url().optional(),
    /** Largest request body accepted, in bytes. */
    bodyLimit: configNumber(z.number().int().positive()).default(256 * 1024),
    /** Named API keys with a role (viewer, agent, admin), besides the admin key. */
    apiKeys: apiKeysSchema,
    /**
     * Behind a reverse proxy, take the client address from X-Forwarded-For: `true` trusts
     * every hop, a list names the proxies' addresses or CIDR ranges (fastify trustProxy).
     * Per-address limits count the address this yields.
     */
    trustProxy: z.union([z.boolean(), z.array(z.string().min(1))]).default(false),
    /**
     * Outbound requests (providers, tools, callbacks, notifiers, the proxy upstream) reach
     * only public addresses and follow no redirects; `allow` lists CIDR ranges, addresses
     * and host names they may reach anyway (docs/security.md#outbound-requests-egress-policy).
     */
    egress: z
      .object({
        allow: z
          .array(
            z.string().superRefine((entry, ctx) => {
              const problem = invalidAllowEntry(entry);
              if (problem) ctx.addIssue({ code: "custom", message: problem });
            }),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const consoleSchema = z
  .object({
    /** Serve the operator console at /console, and redirect / there (docs/console.md). */
    enabled: z.boolean().default(true),
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

const builtinAgentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _"),
    version: z.string().min(1).default("1"),
    type: z.literal("builtin"),
    /** Folder of markdown FAQ files, relative to the config file. */
    knowledgeDir: z.string(),
    /** Retrieval confidence (0..1) below which the agent hands off to a person. */
    threshold: configNumber(z.number().min(0).max(1)).optional(),
    handoffText: z.string().min(1).optional(),
    greetingText: z.string().min(1).optional(),
    /** The AI disclosure, as in an agent document (docs/compliance.md#ai-disclosure). */
    disclosure: disclosureSchema.optional(),
  })
  .strict();

/**
 * An agent document (docs/agents.md): pushed as a content-hashed version and activated at
 * start, so the file is the desired state; versions pushed later through the API take over
 * for new conversations until the next start.
 */
const documentAgentSchema = z
  .object({
    type: z.literal("document"),
    /** The agent YAML, relative to the config file. */
    file: z.string().min(1),
  })
  .strict();

const agentSchema = z.discriminatedUnion("type", [builtinAgentSchema, documentAgentSchema]);

const outboxSchema = z
  .object({
    /** With the delays below, 12 attempts span about 20 minutes of retrying. */
    maxAttempts: configNumber(z.number().int().min(1).max(100)).default(12),
    /** First retry delay; each later one doubles, with jitter, up to maxDelayMs. */
    baseDelayMs: configNumber(z.number().int().min(0)).default(2000),
    maxDelayMs: configNumber(z.number().int().min(0)).default(5 * 60 * 1000),
    /** Jobs a worker runs at once. */
    concurrency: configNumber(z.number().int().min(1).max(256)).default(8),
    /**
     * A claimed job not finished within this time is taken again (crashed worker). Agent
     * calls and sends time out at half of it, so a live worker always finishes first.
     */
    leaseMs: configNumber(z.number().int().min(10_000)).default(60_000),
    pollIntervalMs: configNumber(z.number().int().min(10)).default(500),
  })
  .strict();

const intakeSchema = z
  .object({
    /**
     * `direct`: a webhook's message is stored (screened, in its conversation) before the
     * answer. `queued`: answered once the message and its job are durable, one commit per
     * batch of requests; a job stores it (docs/channels.md#queued-intake).
     */
    mode: z.enum(["direct", "queued"]).default("direct"),
    /** Queued: the most messages one commit takes in. */
    maxBatch: configNumber(z.number().int().min(1).max(1000)).default(256),
    /** Queued: messages waiting for a commit beyond which a webhook is answered 503. */
    maxWaiting: configNumber(z.number().int().min(1)).default(10_000),
  })
  .strict();

const handoffSchema = z
  .object({
    /** Where the team hears about each handoff (signed like the generic channel). */
    webhook: z
      .object({
        url: z.url(),
        secret: z.string().min(16, "use at least 16 characters"),
        timeoutMs: configNumber(z.number().int().positive()).default(10_000),
      })
      .strict()
      .optional(),
    /** Hand off after this many negative customer messages in a row; 0 turns it off. */
    negativeSentimentStreak: configNumber(z.number().int().min(0).max(20)).default(3),
    /** Told to the customer when Mainstay hands off (agent failure, frustration, policy). */
    message: z.string().min(1).optional(),
  })
  .strict();

/** Retries and the circuit breaker around every provider call, under each entry's own. */
const providersSchema = z.strictObject(resilienceFields((n) => configNumber(n).optional()));

export const configSchema = z
  .object({
    server: serverSchema.prefault({}),
    storage: storageSchema.prefault({}),
    agent: agentSchema,
    /**
     * Values agent documents may use, by name (`apiKeySecret`, `authSecret`), written as
     * `${ENV}` references: a document can reach only what is declared here, never the
     * environment. An empty value (an unset `${VAR:-}`) stops an agent that uses it.
     */
    secrets: z
      .record(secretNameSchema, z.string(), {
        error: (issue) =>
          issue.code === "invalid_key"
            ? "a secret's name: lowercase letters, digits, - and _ (documents write it as is)"
            : undefined,
      })
      .default({}),
    /**
     * Non-secret values agent documents may use as `${NAME}` in a few fields (base URLs,
     * model names): a version stores the reference, and each server fills in its own value
     * when it builds the agent. A document sends them where it likes, so never a secret.
     */
    settings: z
      .record(settingNameSchema, z.string(), {
        error: (issue) =>
          issue.code === "invalid_key"
            ? `a setting's name: letters, digits and _, not starting with a digit (documents write \${NAME})`
            : undefined,
      })
      .default({}),
    channels: z.array(channelConfigSchema).min(1),
    /** Retry and circuit-breaker settings for every agent's provider calls (docs/providers.md). */
    providers: providersSchema.prefault({}),
    outbox: outboxSchema.prefault({}),
    /** How webhooks take messages in: stored before the answer, or queued (docs/channels.md). */
    intake: intakeSchema.prefault({}),
    compliance: complianceConfigSchema.prefault({}),
    /** An OpenAI-compatible proxy at POST /v1/chat/completions (docs/proxy.md). */
    proxy: proxyConfigSchema.optional(),
    handoff: handoffSchema.prefault({}),
    /** What one customer, session, sender or client address may cost (docs/security.md). */
    limits: limitsConfigSchema.prefault({}),
    /** The operator console in the browser (docs/console.md). */
    console: consoleSchema.prefault({}),
    /** Prometheus `/metrics`, OpenTelemetry traces and logs (docs/operations.md). */
    telemetry: telemetryConfigSchema.prefault({}),
    /** Alert rules, built-in ones included, and where notifications go (docs/alerts.md). */
    alerts: alertsConfigSchema.prefault({}),
    /** How long each class of personal data is kept, per channel (docs/governance.md). */
    retention: retentionConfigSchema.prefault({}),
    /** When a conversation counts as resolved, abandoned or reopened (docs/outcomes.md). */
    outcomes: outcomeLabelsConfigSchema.prefault({}),
    /** Judged samples of live conversations, as a metric and a rollout gate (docs/live-quality.md). */
    quality: qualityConfigSchema.optional(),
    /** USD per million tokens per `provider/model`, for the cost kept on each reply. */
    prices: priceTableSchema.default({}),
    /**
     * The guardrails policy every message passes: a path to a policy file (relative to
     * the config file), an inline policy, or `default` for the built-in one.
     */
    policies: z
      .custom<string | Record<string, unknown>>(
        (v) => typeof v === "string" || (typeof v === "object" && v !== null && !Array.isArray(v)),
        "expected a policy file path, `default`, or an inline policy",
      )
      .default("default"),
  })
  .strict()
  // Cross-field checks run even when other fields have problems (`when`), so a config's
  // problems come in one pass; the value may then be partly unparsed, hence the care.
  .superRefine((config, ctx) => crossFieldChecks(config, ctx), {
    when: () => true,
  });

function crossFieldChecks(config: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const { policies, proxy, channels } = config;
  if (typeof policies === "object" && policies !== null && !Array.isArray(policies)) {
    // Reported field by field, with the `policies.` prefix, like every other problem.
    for (const issue of policySchema.safeParse(policies).error?.issues ?? []) {
      ctx.addIssue({ ...issue, path: ["policies", ...issue.path] } as never);
    }
  }
  const idOf = (v: unknown, key: string) => {
    const id =
      typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
    return typeof id === "string" ? id : undefined;
  };
  const seen = new Set<string>();
  const proxyChannel = idOf(proxy, "channelId");
  if (proxyChannel) seen.add(proxyChannel);
  if (!Array.isArray(channels)) return;
  channels.forEach((channel, i) => {
    const id = idOf(channel, "id");
    if (id === undefined) return;
    if (seen.has(id)) {
      ctx.addIssue({
        code: "custom",
        path: ["channels", i, "id"],
        message: `duplicate channel id "${id}" (the proxy's channelId counts too)`,
      });
    }
    seen.add(id);
  });
}

export type Config = z.infer<typeof configSchema>;

export type ServerConfig = Config["server"];
export type OutboxConfig = Config["outbox"];
export type AgentConfig = Config["agent"];
