import { readFileSync } from "node:fs";
import pino from "pino";
import { rolloutRoutes } from "../api/routes/rollouts.ts";
import { latestEvalResult } from "../evaluation/index.ts";
import { ControlState, parseRolloutYaml, RolloutService } from "../rollouts/index.ts";
import { systemClock } from "../shared/clock.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import {
  type ApiClient,
  type MountRoutes,
  WHERE,
  WHERE_OPTIONS,
  type WhereValues,
  withApi,
} from "./api-client.ts";
import {
  type Command,
  type CommandIo,
  commandGroup,
  operands,
  parseCommandArgs,
} from "./command.ts";
import { formatRolloutStatus } from "./format-rollout.ts";

/** The rollout and kill-switch routes over the configured store, as a server mounts them. */
export const mountRollouts: MountRoutes = async (app, store) => {
  const logger = pino({ level: "silent" });
  const control = new ControlState(store, { pollMs: 0, logger });
  await control.refresh();
  const rollouts = new RolloutService({
    store,
    clock: systemClock,
    logger,
    control,
    evalPassed: async (agentId, version) =>
      (await latestEvalResult(store, agentId, version))?.passed === true,
  });
  await app.register(rolloutRoutes, { store, rollouts });
};

export const withRolloutApi = <T>(
  values: WhereValues,
  io: CommandIo,
  fn: (api: ApiClient) => Promise<T>,
) => withApi(values, io, mountRollouts, fn);

const start: Command = {
  name: "start",
  summary: "start a rollout from a YAML file",
  usage: `
Usage: mainstay rollout start FILE [--config FILE | --url URL --key KEY]

Validates FILE (problems as file:line:column: field: message; reference in
docs/rollouts.md) and starts the rollout. Prints its id and status.
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const file = operands(args.positionals, 1, this.usage)[0]!;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new MainstayError("MS_ROLLOUT_INVALID", `${file}: cannot read: ${describeError(e)}`);
    }
    const spec = parseRolloutYaml(text, file);
    const status = await withRolloutApi(args.values, io, (api) =>
      api.call("POST", "/api/v1/rollouts", spec),
    );
    io.stdout.write(formatRolloutStatus(status));
    return 0;
  },
};

const status: Command = {
  name: "status",
  summary: "show a rollout's step, evidence per gate and decisions",
  usage: `
Usage: mainstay rollout status ID [--json] [--config FILE | --url URL --key KEY]

      --json          print the status as JSON
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, json: { type: "boolean" } }, io);
    if (!args) return 0;
    const id = operands(args.positionals, 1, this.usage)[0]!;
    const found = await withRolloutApi(args.values, io, (api) =>
      api.call("GET", `/api/v1/rollouts/${encodeURIComponent(id)}`),
    );
    io.stdout.write(
      args.values.json ? `${JSON.stringify(found, null, 2)}\n` : formatRolloutStatus(found),
    );
    return 0;
  },
};

const list: Command = {
  name: "list",
  summary: "list rollouts, newest first",
  usage: `
Usage: mainstay rollout list [--agent ID] [--config FILE | --url URL --key KEY]
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, agent: { type: "string" } }, io);
    if (!args) return 0;
    const query = args.values.agent ? `?agent=${encodeURIComponent(args.values.agent)}` : "";
    const found = await withRolloutApi(args.values, io, (api) =>
      api.call("GET", `/api/v1/rollouts${query}`),
    );
    const rows = found["data"] as Record<string, unknown>[];
    if (rows.length === 0) io.stdout.write("no rollouts\n");
    for (const r of rows) {
      io.stdout.write(
        `${r["id"]}  ${r["agentId"]}  ${r["baseline"]} -> ${r["candidate"]}  ${r["state"]} (step ${Number(r["step"]) + 1})  ${r["createdAt"]}\n`,
      );
    }
    return 0;
  },
};

/** pause, resume, promote and abort: the same shape, one route each. */
function steer(name: "pause" | "resume" | "promote" | "abort", summary: string): Command {
  return {
    name,
    summary,
    usage: `
Usage: mainstay rollout ${name} ID [--config FILE | --url URL --key KEY]
${WHERE}`,
    async run(argv, io) {
      const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
      if (!args) return 0;
      const id = operands(args.positionals, 1, this.usage)[0]!;
      const found = await withRolloutApi(args.values, io, (api) =>
        api.call("POST", `/api/v1/rollouts/${encodeURIComponent(id)}/${name}`),
      );
      io.stdout.write(formatRolloutStatus(found));
      return 0;
    },
  };
}

export const rolloutCommand = commandGroup("rollout", "start, watch and steer rollouts", [
  start,
  status,
  list,
  steer("pause", "stop automatic promotion (harm still rolls back)"),
  steer("resume", "let a paused rollout promote again"),
  steer("promote", "move to the next step now (the last step makes the candidate active)"),
  steer("abort", "end the rollout: everything back on the baseline"),
]);
