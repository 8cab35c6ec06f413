import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli/main.ts";

/** Run the `mainstay` CLI in-process, capturing what it prints and its exit code. */
export async function runCliCaptured(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => {
    out += d;
  });
  stderr.on("data", (d) => {
    err += d;
  });
  const code = await runCli(argv, { stdin: new PassThrough(), stdout, stderr, env });
  return { code, out, err };
}
