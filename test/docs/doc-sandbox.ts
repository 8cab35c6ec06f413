import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliCaptured } from "../support/run-cli.ts";
import { REPO } from "./markdown-blocks.ts";

/** Leading `NAME=value` words of a command line (the environment it gives the command). */
const ASSIGNMENTS = /^((?:[A-Za-z_]\w*=(?:'[^']*'|"[^"]*"|[^\s'"])*\s+)*)/;
const SERVER = /^(npm start|npm run (demo|mainstay -- (start|demo))|npx mainstay (start|demo))\b/;
const MAINSTAY = /^(npx mainstay|npm run mainstay --)\s/;

const withoutAssignments = (command: string) => command.replace(ASSIGNMENTS, "");
const unquoted = (command: string) => command.replace(/'[^']*'|"[^"]*"/g, "");

/** `npm start`, `npx mainstay start` and `demo`: commands that serve until stopped. */
export const startsServer = (command: string) => SERVER.test(withoutAssignments(command));

/** A plain `npx mainstay ...` (no pipe, list or redirection): it runs in-process. */
const simpleMainstay = (command: string) =>
  MAINSTAY.test(withoutAssignments(command)) &&
  !/[|;&<>]/.test(unquoted(command.replace(/\s#.*$/, "")));

export interface Ran {
  code: number;
  output: string;
}

export interface DocServer {
  port: number;
  /** SIGTERM, then the exit code and everything it printed. */
  stop(): Promise<Ran>;
}

/**
 * A temporary folder holding a copy of examples/, where a page's commands run as a reader
 * would run them from a clone: `npx mainstay` and the npm scripts that call the CLI are
 * shims on PATH, servers get `--port 0`. A plain `npx mainstay` line runs in this process
 * through `runCli` (what bin/mainstay.js calls) after sh expanded its words; everything
 * else runs under sh. Shell variables carry from one command of a block to the next.
 */
export class DocSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), "mainstay-docs-"));
  private readonly bin = join(this.dir, ".docs-bin");
  private readonly state = join(this.dir, ".docs-shell-state");
  private readonly argv = join(this.dir, ".docs-argv");
  private output = "";

  constructor() {
    cpSync(join(REPO, "examples"), join(this.dir, "examples"), { recursive: true });
    this.writeShims();
    this.newShell();
  }

  /** Everything printed so far: ids like `ro_…` in later commands are taken from it. */
  get printed() {
    return this.output;
  }

  /** Forget the shell variables (each block starts a fresh shell). */
  newShell() {
    writeFileSync(this.state, "");
  }

  async run(command: string, server?: DocServer): Promise<Ran> {
    const text = this.bound(command, server);
    if (!simpleMainstay(text)) return this.sh(text, "exec");
    rmSync(this.argv, { force: true });
    const captured = await this.sh(text, "capture");
    if (captured.code !== 0 || !existsSync(this.argv)) return captured;
    const args = nulSeparated(this.argv);
    const env = Object.fromEntries(
      nulSeparated(`${this.argv}.env`).map((kv) => [
        kv.slice(0, kv.indexOf("=")),
        kv.slice(kv.indexOf("=") + 1),
      ]),
    );
    const cwd = process.cwd();
    process.chdir(this.dir);
    try {
      const { code, out, err } = await runCliCaptured(args, env);
      return this.keep({ code, output: out + err });
    } finally {
      process.chdir(cwd);
    }
  }

  /** Start a server command and wait for its "running at" line. */
  async start(command: string): Promise<DocServer> {
    const rest = withoutAssignments(command);
    const assignments = command.slice(0, command.length - rest.length).trim();
    const child = spawn("sh", ["-c", this.script(`exec env ${assignments} ${rest}`, "exec")], {
      cwd: this.dir,
      env: this.env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number>((resolve) =>
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : -1))),
    );
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d;
        const match = /is running at http:\/\/[^:\s]+:(\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      exited.then((code) => reject(new Error(`exited with ${code} before serving:\n${output}`)));
    });
    // `start` prints its URL and then installs its SIGTERM handler in the same tick; once it
    // has answered a request, that tick is over and SIGTERM means a clean shutdown.
    await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.arrayBuffer());
    return {
      port,
      stop: async () => {
        stopChild(child);
        const code = await exited;
        return this.keep({ code, output });
      },
    };
  }

  close() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Placeholders such as `ro_…` become the last such id printed; port 3000 the server's. */
  private bound(command: string, server?: DocServer) {
    let text = command.replace(/\b([a-z]+)_…/g, (placeholder, prefix: string) => {
      const ids = this.printed.match(new RegExp(`\\b${prefix}_[0-9a-z]{6,}`, "g"));
      return ids?.at(-1) ?? placeholder;
    });
    if (server)
      text = text.replace(/\b(localhost|127\.0\.0\.1):3000\b/g, `localhost:${server.port}`);
    return text;
  }

  private keep(ran: Ran): Ran {
    this.output += ran.output;
    return ran;
  }

  private sh(command: string, mode: "capture" | "exec"): Promise<Ran> {
    const child = spawn("sh", ["-c", this.script(command, mode)], {
      cwd: this.dir,
      env: this.env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    return new Promise((resolve) =>
      child.once("exit", (code) =>
        resolve(
          mode === "capture"
            ? { code: code ?? -1, output }
            : this.keep({ code: code ?? -1, output }),
        ),
      ),
    );
  }

  /** Restore the block's variables, run, save them (`set -a` exports every assignment). */
  private script(command: string, mode: "capture" | "exec") {
    return [
      "set -a",
      `. '${this.state}'`,
      `PATH='${join(this.bin, mode)}':"$DOCS_PATH"`,
      command,
      "status=$?",
      `export -p > '${this.state}'`,
      "exit $status",
    ].join("\n");
  }

  /** Nothing from the test's own environment (no DATABASE_URL, no MAINSTAY_ADMIN_KEY). */
  private env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env["PATH"],
      DOCS_PATH: process.env["PATH"],
      HOME: this.dir,
      DOCS_ARGV: this.argv,
      ...(process.env["TMPDIR"] ? { TMPDIR: process.env["TMPDIR"] } : {}),
    };
  }

  private writeShims() {
    const notHere = (what: string) =>
      `echo "docs test: ${what} is not run here; mark the block illustrative" >&2; exit 127`;
    const npx = {
      capture: `shift; printf '%s\\0' "$@" > "$DOCS_ARGV"; env -0 > "$DOCS_ARGV.env"`,
      exec: `shift; case "$1" in start|demo) set -- "$@" --port 0 ;; esac
exec '${process.execPath}' '${join(REPO, "bin/mainstay.js")}' "$@"`,
    };
    for (const mode of ["capture", "exec"] as const) {
      mkdirSync(join(this.bin, mode), { recursive: true });
      shim(
        join(this.bin, mode, "npx"),
        `[ "$1" = mainstay ] || { ${notHere("npx $1")}; }\n${npx[mode]}`,
      );
      shim(join(this.bin, mode, "npm"), `${npmScripts()}\n${notHere("npm $*")}`);
    }
  }
}

/**
 * `npm start` and `npm run NAME [-- ARGS]` for the package.json scripts that run the CLI
 * (`tsx src/cli/main.ts ...`), as the matching `npx mainstay ...`.
 */
function npmScripts(): string {
  const { scripts } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const cases = Object.entries(scripts).flatMap(([name, script]) => {
    const match = /^tsx src\/cli\/main\.ts\b(.*)$/.exec(script);
    return match ? [`${name}) exec npx mainstay${match[1]} "$@" ;;`] : [];
  });
  return `if [ "$1" = start ]; then script=start; shift
elif [ "$1" = run ]; then script="$2"; shift 2
else script=""; fi
[ "$1" = -- ] && shift
case "$script" in
${cases.join("\n")}
esac`;
}

function shim(file: string, body: string) {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

const nulSeparated = (file: string) => readFileSync(file, "utf8").split("\0").slice(0, -1);

function stopChild(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}
