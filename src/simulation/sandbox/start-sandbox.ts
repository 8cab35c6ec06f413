import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import { type AgentDocument, versionOf } from "../../agents/index.ts";
import type { LoadedConfig } from "../../config/index.ts";
import { type Mainstay, startMainstay } from "../../main.ts";
import type { StoreOptions } from "../../store/index.ts";
import { type CaptureServer, startCaptureServer } from "./capture-server.ts";
import { SANDBOX_CHANNELS, type SandboxChannel } from "./sandbox-channel.ts";
import { sandboxConfig } from "./sandbox-config.ts";

export interface SandboxOptions {
  /** The user's config: its policies, compliance, limits, handoff and outcomes carry over. */
  loaded: LoadedConfig;
  /** The version under test; absent: the config's built-in agent. */
  document?: AgentDocument;
  /** Where its data lives (tests: a throwaway PostgreSQL schema); default SQLite in its folder. */
  store?: StoreOptions;
  logger?: Logger;
}

/** A running instance of Mainstay serving one agent version, whose sends are all captured. */
export interface Sandbox {
  /** The version it serves, as `ID@VERSION` names it. */
  version: string;
  instance: Mainstay;
  capture: CaptureServer;
  /** Signs webhooks in and is the sandbox channels' vendor credential. */
  secret: string;
  /** A number for the next new customer: every trial writes from an address of its own. */
  nextCustomer(): number;
  close(): Promise<void>;
}

/**
 * Starts Mainstay as the composition root builds it (`startMainstay`), role all, in a
 * temporary data folder removed on close: the version's document is its agent (pushed and
 * activated at start, as a server does with a document file), every sandbox channel sends
 * to a local capture server, and the HTTP server listens on 127.0.0.1 port 0.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), "mainstay-simulate-"));
  const secret = randomBytes(24).toString("hex");
  let sends = 0;
  let customers = 0;
  const capture = await startCaptureServer((request) => {
    const ack = SANDBOX_CHANNELS.map((c) => c.acknowledge(request, sends + 1)).find(Boolean);
    if (ack) sends++;
    return ack ?? { status: 200, body: {} };
  });
  try {
    const agentFile = options.document ? join(dataDir, "agent.json") : undefined;
    // A document is JSON, and JSON is YAML: it reads back as the same version.
    if (agentFile) writeFileSync(agentFile, JSON.stringify(options.document));
    const loaded = sandboxConfig({
      loaded: options.loaded,
      dataDir,
      ...(agentFile ? { agentFile } : {}),
      channels: SANDBOX_CHANNELS as SandboxChannel[],
      capture: capture.url,
      secret,
    });
    const instance = await startMainstay(loaded, {
      env: { MAINSTAY_ADMIN_KEY: randomBytes(24).toString("hex") },
      logger: options.logger ?? pino({ level: "silent" }),
      announce: () => {},
      ...(options.store ? { store: options.store } : {}),
    });
    const agent = loaded.config.agent;
    return {
      version: options.document
        ? versionOf(options.document)
        : agent.type === "builtin"
          ? agent.version
          : "",
      instance,
      capture,
      secret,
      nextCustomer: () => ++customers,
      async close() {
        await instance.close();
        await capture.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await capture.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
