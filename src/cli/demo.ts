import { runDemo } from "../demo/run-demo.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const demoCommand: Command = {
  name: "demo",
  summary: "watch a regressed agent version get rolled back by itself, in a minute",
  usage: `
Usage: mainstay demo [--port N] [--pace MS] [--exit]

Starts Mainstay on a throwaway SQLite database with simulated customers on web chat and
the JSON webhook, and a 30% canary of a regressed candidate (it leaks a card number in
some answers). Prints the traffic split and the evidence as they grow, then the automatic
rollback. Nothing outside this machine is contacted.

      --port N    port to serve on (default 3000; 0 picks a free one)
      --pace MS   milliseconds between simulated customers (default 250, under a
                  minute to the rollback; 1000 to watch it in the console; 0 with --exit)
      --exit      stop after the rollback instead of serving until Ctrl-C
  -h, --help      show this help`,
  async run(argv, io) {
    const args = parseCommandArgs(
      this,
      argv,
      { port: { type: "string" }, pace: { type: "string" }, exit: { type: "boolean" } },
      io,
    );
    if (!args) return 0;
    const port = Number(args.values.port ?? 3000);
    const pace = args.values.pace === undefined ? undefined : Number(args.values.pace);
    if (pace !== undefined && !(Number.isInteger(pace) && pace >= 0 && pace <= 60_000)) {
      io.stderr.write(`--pace: expected milliseconds from 0 to 60000, got "${args.values.pace}"\n`);
      return 2;
    }
    const result = await runDemo({
      port,
      exit: args.values.exit ?? false,
      out: io.stdout,
      // Slow enough to read along; as fast as it goes when nobody watches.
      paceMs: pace ?? (args.values.exit ? 0 : 250),
      maxConversations: 600,
    });
    return result.rolledBack ? 0 : 1;
  },
};
