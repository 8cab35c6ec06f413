import { ROLES, type Role, startMainstay } from "../main.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { checkConfigFile } from "./validate.ts";

export const startCommand: Command = {
  name: "start",
  summary: "run the server, workers and web chat",
  usage: `
Usage: mainstay start [--config FILE] [--port N] [--host H] [--role ROLE]

Starts Mainstay: the HTTP API, webhooks, web chat and the job workers. SIGTERM or
SIGINT stops taking requests, lets running jobs finish and closes the database.

Options:
  -c, --config FILE   configuration file (default: mainstay.yaml)
  -p, --port N        port to listen on (overrides server.port; 0 picks a free one)
      --host H        address to bind (overrides server.host)
      --role ROLE     all (default): everything in one process;
                      api: the HTTP API, webhooks, web chat and console, no jobs;
                      worker: the jobs, alert monitor and rollout watcher, with only
                      /healthz, /readyz and /metrics on the port (api and worker
                      need PostgreSQL)
  -h, --help          show this help

Environment:
  DATABASE_URL        use PostgreSQL instead of the embedded SQLite database
  MAINSTAY_ADMIN_KEY  admin API key (generated and kept in the data folder if unset)
  MAINSTAY_LOG_LEVEL  pino log level (default info)`,
  async run(argv, io) {
    const args = parseCommandArgs(
      this,
      argv,
      {
        config: { type: "string", short: "c" },
        port: { type: "string", short: "p" },
        host: { type: "string" },
        role: { type: "string" },
      },
      io,
    );
    if (!args) return 0;
    const file = (args.values.config as string | undefined) ?? "mainstay.yaml";
    const port = args.values.port === undefined ? undefined : Number(args.values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
      io.stderr.write(`--port: expected a port number, got "${args.values.port}"\n`);
      return 2;
    }
    const role = (args.values.role as string | undefined) ?? "all";
    if (!isRole(role)) {
      io.stderr.write(`--role: expected one of ${ROLES.join(", ")}, got "${role}"\n`);
      return 2;
    }
    // Every problem with the config and the files it names, as `validate` lists them,
    // stops the start before anything is opened.
    const { loaded } = checkConfigFile(file, io.env);
    // Listened for before starting, so a signal during start-up still shuts down cleanly.
    const signalled = new Promise<string>((resolve) => {
      process.once("SIGTERM", () => resolve("SIGTERM"));
      process.once("SIGINT", () => resolve("SIGINT"));
    });
    const mainstay = await startMainstay(loaded, {
      env: io.env,
      port,
      host: args.values.host as string | undefined,
      role,
      announce: (m) => io.stdout.write(`${m}\n`),
    });
    const chats = loaded.config.channels.filter((c) => c.type === "webchat");
    const base = mainstay.url.replace("127.0.0.1", "localhost");
    const named = role === "all" ? "" : ` (${role})`;
    io.stdout.write(`Mainstay${named} is running at ${base}\n`);
    const consoleLinks = loaded.config.console.enabled ? [`  console: ${base}/console`] : [];
    const links =
      role === "worker"
        ? ["  serving /healthz, /readyz and /metrics only"]
        : [
            ...consoleLinks,
            ...chats.map((chat) => `  web chat "${chat.id}": ${base}/chat/${chat.id}`),
          ];
    for (const line of links) io.stdout.write(`${line}\n`);
    const signal = await signalled;
    io.stdout.write(`${signal}: shutting down (press Ctrl-C again to force)\n`);
    process.once(signal as NodeJS.Signals, () => process.exit(130));
    try {
      await mainstay.close();
    } catch (e) {
      io.stderr.write(`shutdown failed: ${(e as Error).message}\n`);
    }
    return 0;
  },
};

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
