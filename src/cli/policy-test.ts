import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { channelTraitsOf } from "../channels/index.ts";
import {
  type CaseResult,
  findingTypes,
  loadPolicyFile,
  runPolicyCases,
} from "../guardrails/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { type Command, type CommandIo, parseCommandArgs } from "./command.ts";

const DEFAULT_POLICY_FILE = fileURLToPath(
  new URL("../../examples/policies/default.yaml", import.meta.url),
);

export const policyCommand: Command = {
  name: "policy",
  summary: "Work with guardrails policies (policy test: run a policy's test cases)",
  usage: `
Usage: mainstay policy test [FILE...]

Runs the \`cases:\` written in each policy file against that policy and prints a
pass/fail table. Exits 1 when a case fails. Without FILE, tests the default policy
(examples/policies/default.yaml).
`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, {}, io);
    if (!args) return 0;
    const [subcommand, ...files] = args.positionals;
    if (subcommand !== "test") {
      throw new MainstayError(
        "MS_CLI_USAGE",
        `unknown policy subcommand "${subcommand ?? ""}"; try: mainstay policy test`,
      );
    }
    let failed = 0;
    let total = 0;
    for (const file of files.length > 0 ? files : [DEFAULT_POLICY_FILE]) {
      const results = runPolicyCases(loadPolicyFile(file), { channelTraits: channelTraitsOf });
      if (results.length === 0) io.stderr.write(`${file}: no cases\n`);
      printTable(io, basename(file), results);
      total += results.length;
      failed += results.filter((r) => !r.passed).length;
    }
    io.stdout.write(`\n${total} cases, ${total - failed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};

function printTable(io: CommandIo, file: string, results: CaseResult[]): void {
  const rows = results.map((r) => [
    r.passed ? "pass" : "FAIL",
    file,
    r.name,
    `${r.expected.action} [${(r.expected.findings ?? ["*"]).join(", ")}]`,
    `${r.decision.action} [${findingTypes(r.decision).join(", ")}]${r.passed ? "" : `  (${r.mismatches.join(", ")} differ${r.mismatches.includes("text") ? `: ${JSON.stringify(r.decision.text)}` : ""})`}`,
  ]);
  const header = ["RESULT", "POLICY", "CASE", "EXPECTED", "GOT"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  io.stdout.write(`${[line(header), ...rows.map(line)].join("\n")}\n`);
}
