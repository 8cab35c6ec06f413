import { join } from "node:path";
import { type LoadedConfig, parseConfigText } from "../../config/index.ts";
import type { SandboxChannel } from "./sandbox-channel.ts";

export interface SandboxConfigInput {
  /** The config the user runs: what decides how a conversation goes carries over. */
  loaded: LoadedConfig;
  /** Where the sandbox keeps its data (a fresh temporary folder). */
  dataDir: string;
  /** The agent setting: the config's built-in agent, or a document file in `dataDir`. */
  agentFile?: string;
  channels: readonly SandboxChannel[];
  /** The capture server's URL: every send and notice goes there. */
  capture: string;
  secret: string;
}

/**
 * The config of a sandbox instance: the user's policies, compliance, limits (answering each
 * message at once), handoff, outcome, provider, price, secret and setting sections, with
 * its own data folder, a server on 127.0.0.1 port 0 and only channels whose sends go to the
 * capture server. Nothing that reaches people (alert destinations, the proxy, live quality
 * judging, telemetry exporters) is carried over; the handoff webhook posts to the capture
 * server. Relative paths (a policy file, a knowledge folder) resolve from the user's config
 * folder, as for the user's own server.
 */
export function sandboxConfig(input: SandboxConfigInput): LoadedConfig {
  const user = input.loaded.config;
  const agent = input.agentFile ? { type: "document", file: input.agentFile } : undefined;
  // Flow YAML is JSON: the sandbox's own sections are written as JSON and parsed, so the
  // channel and outbox schemas fill in their defaults.
  const text = `
server: ${JSON.stringify({ host: "127.0.0.1", port: 0, egress: { allow: [...user.server.egress.allow, "127.0.0.1"] } })}
storage: ${JSON.stringify({ dataDir: input.dataDir })}
agent: ${JSON.stringify(agent ?? user.agent)}
channels: ${JSON.stringify(input.channels.map((c) => c.config(input.capture, input.secret)))}
outbox: ${JSON.stringify({
    maxAttempts: user.outbox.maxAttempts,
    leaseMs: user.outbox.leaseMs,
    concurrency: user.outbox.concurrency,
    // Retries come at once: a simulated turn waits for them, not for production's backoff.
    baseDelayMs: 10,
    maxDelayMs: 100,
    pollIntervalMs: 20,
  })}
`;
  const parsed = parseConfigText(text, join(input.dataDir, "mainstay.yaml"), {});
  const webhook = user.handoff.webhook && {
    ...user.handoff.webhook,
    url: `${input.capture}/handoff`,
  };
  return {
    config: {
      ...parsed.config,
      policies: user.policies,
      compliance: user.compliance,
      limits: { ...user.limits, coalesceMs: 0 },
      handoff: { ...user.handoff, ...(webhook ? { webhook } : {}) },
      outcomes: user.outcomes,
      providers: user.providers,
      prices: user.prices,
      secrets: user.secrets,
      settings: user.settings,
    },
    baseDir: input.loaded.baseDir,
  };
}
