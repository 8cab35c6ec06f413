import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ADMIN_KEY, testConfigYaml } from "./test-app.ts";

const CLI = resolve(import.meta.dirname, "../../src/cli/main.ts");

export interface RunningChild {
  process: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Start `mainstay start` as a real child process on port 0, in `dataDir`; `extra` adds
 * command-line arguments (`--role worker`) and environment (`DATABASE_URL`).
 */
export async function startChild(
  dataDir: string,
  callbackUrl?: string,
  extra: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningChild> {
  const config = join(dataDir, "mainstay.yaml");
  writeFileSync(
    config,
    testConfigYaml({
      dataDir,
      callbackUrl,
      outbox: "{ maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 200, pollIntervalMs: 20 }",
    }),
  );
  const args = ["--import", "tsx", CLI, "start", "--config", config, ...(extra.args ?? [])];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      MAINSTAY_ADMIN_KEY: ADMIN_KEY,
      MAINSTAY_LOG_LEVEL: "warn",
      ...extra.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | string>((r) =>
    child.once("exit", (code, signal) => r(code ?? signal ?? -1)),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout.on("data", check);
    exited.then(() => reject(new Error(`child exited early:\n${output}`)));
  });
  return { process: child, url, output: () => output, exited };
}
