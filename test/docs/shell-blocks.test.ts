import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { DocSandbox, type DocServer, type Ran, startsServer } from "./doc-sandbox.ts";
import {
  commandsOf,
  docFiles,
  type FencedBlock,
  isIllustrative,
  REPO,
  shellBlocks,
} from "./markdown-blocks.ts";

// Every shell block in README.md and docs/ is either marked illustrative (```sh illustrative)
// or listed here, and then run against a copy of examples/. The convention is described in
// docs/README.md#shell-examples-are-tested.

interface Runnable {
  file: string;
  /** The start of the block's first command, as the page writes it. */
  first: string;
  /** Commands the test environment has already done (the repository is installed). */
  assume?: string[];
  /** Runs while the server started by the block beginning with this command serves. */
  during?: string;
  /** Lines the block's output contains besides the ones the page shows in comments. */
  expect?: string[];
}

const RUNNABLE: Runnable[] = [
  { file: "docs/agents.md", first: "npx mainstay agents push" },
  { file: "docs/audit.md", first: "npx mainstay audit list" },
  { file: "docs/audit.md", first: "npx mainstay audit verify --config examples/mainstay.yaml" },
  { file: "docs/channels/telegram.md", first: "openssl rand -hex 32" },
  { file: "docs/evaluation.md", first: "npx mainstay eval examples/evals/support.yaml" },
  { file: "docs/evaluation.md", first: "npx mainstay eval examples/evals/regression.yaml" },
  {
    file: "docs/getting-started.md",
    first: "npm ci",
    assume: ["npm ci"],
    expect: [
      "Generated an admin API key (shown once; kept in …/data/admin-key",
      "Mainstay is running at http://localhost:",
      "  console: http://localhost:…/console",
      '  web chat "web": http://localhost:…/chat/web',
      "SIGTERM: shutting down",
    ],
  },
  {
    file: "docs/getting-started.md",
    first: "cat data/admin-key",
    during: "npm ci",
    expect: ["msk_"],
  },
  {
    file: "docs/getting-started.md",
    first: "SECRET=",
    during: "npm ci",
    expect: ["HTTP/1.1 202 Accepted", '{"conversationId":"conv_'],
  },
  {
    file: "docs/getting-started.md",
    first: 'KEY="$(cat data/admin-key)"',
    during: "npm ci",
    expect: ['"channelId":"api"', '"agent":{"id":"northwind-support","version":"1"}'],
  },
  {
    file: "docs/getting-started.md",
    first: "npx mainstay validate --config examples/mainstay.yaml",
  },
  { file: "docs/getting-started.md", first: "npx mainstay validate --config examples/llm.yaml" },
  { file: "docs/getting-started.md", first: "OPENAI_BASE_URL=https://api.openai.com/v1" },
  { file: "docs/proxy.md", first: "OPENAI_BASE_URL=https://api.openai.com/v1" },
  {
    file: "docs/rollouts.md",
    first: "npx mainstay agents push examples/agents/support-openai.yaml",
  },
  {
    file: "docs/rollouts.md",
    first: "npx mainstay agents push examples/agents/support-anthropic.yaml",
  },
  { file: "docs/rollouts.md", first: "npx mainstay kill" },
  { file: "docs/simulation.md", first: "npx mainstay simulate examples/simulations" },
];

const RUNNABLE_LANGS = new Set(["sh", "bash", "shell"]);
const where = (block: FencedBlock) => `${block.file}:${block.line}`;
const firstCommand = (block: FencedBlock) => commandsOf(block)[0]?.text ?? "";

function entryFor(block: FencedBlock): Runnable | undefined {
  return RUNNABLE.find((r) => r.file === block.file && firstCommand(block).startsWith(r.first));
}

const pages = docFiles().map((file) => ({ file, blocks: shellBlocks(file) }));

test("every shell block is run by this test or marked illustrative", () => {
  const problems: string[] = [];
  for (const block of pages.flatMap((p) => p.blocks)) {
    if (isIllustrative(block)) continue;
    if (!RUNNABLE_LANGS.has(block.lang)) {
      problems.push(
        `${where(block)}: a ${block.lang ? `\`\`\`${block.lang}` : "untagged"} block: write a command to run as \`\`\`sh, or mark the block illustrative (\`\`\`${block.lang || "sh"} illustrative)`,
      );
    } else if (!entryFor(block)) {
      problems.push(
        `${where(block)}: \`${firstCommand(block)}\` is not run by test/docs/shell-blocks.test.ts: add it to RUNNABLE or mark the block \`\`\`sh illustrative`,
      );
    }
  }
  const found = pages.flatMap((p) => p.blocks.filter((b) => !isIllustrative(b)).map(entryFor));
  for (const entry of RUNNABLE) {
    if (!found.includes(entry))
      problems.push(`RUNNABLE lists a block that no page has: ${entry.file}: ${entry.first}`);
  }
  assert.deepEqual(problems, []);
});

/** Output lines as the page shows them: `…` and `...` stand for anything. */
function shows(output: string, expected: string): boolean {
  const pattern = expected
    .split(/…|\.\.\./)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(pattern).test(output);
}

/** `# exits N` at the end of a command line: the exit code the page documents. */
const documentedExit = (command: string) => Number(/#\s*exits (\d+)\s*$/.exec(command)?.[1] ?? 0);

function checkRan(label: string, ran: Ran, exit: number, expected: string[]) {
  assert.equal(
    ran.code,
    exit,
    `${label} exited ${ran.code}, the page says ${exit}; it printed:\n${ran.output}`,
  );
  for (const line of expected) {
    assert.ok(
      shows(ran.output, line),
      `${label}: the page shows "${line}", but it printed:\n${ran.output}`,
    );
  }
}

/** A server a block started, kept running for the blocks marked `during` it. */
interface Serving {
  first: string;
  server: DocServer;
  label: string;
  expect: string[];
}

const servers = new Set<DocServer>();

async function stopServing(serving: Serving | undefined) {
  if (!serving) return;
  servers.delete(serving.server);
  checkRan(serving.label, await serving.server.stop(), 0, serving.expect);
}

/** Run one block's commands; a server it starts is returned, still running. */
async function runBlock(
  sandbox: DocSandbox,
  block: FencedBlock,
  entry: Runnable,
  during: DocServer | undefined,
): Promise<Serving | undefined> {
  sandbox.newShell();
  const commands = commandsOf(block).filter((c) => !entry.assume?.includes(c.text));
  let output = "";
  for (const [i, command] of commands.entries()) {
    const label = `${block.file}:${command.line} \`${command.text}\``;
    if (startsServer(command.text)) {
      assert.equal(i, commands.length - 1, `${label}: a server must be the block's last command`);
      const server = await sandbox.start(command.text);
      servers.add(server);
      return {
        first: entry.first,
        server,
        label,
        expect: [...command.output, ...(entry.expect ?? [])],
      };
    }
    const ran = await sandbox.run(command.text, during);
    checkRan(label, ran, documentedExit(command.text), command.output);
    output += ran.output;
  }
  for (const line of entry.expect ?? []) {
    assert.ok(shows(output, line), `${where(block)}: expected "${line}" in:\n${output}`);
  }
  return undefined;
}

const alreadyRun = new Set<string>();
const sandboxes: DocSandbox[] = [];
after(async () => {
  await Promise.all([...servers].map((s) => s.stop()));
  for (const s of sandboxes) s.close();
});

for (const { file, blocks } of pages) {
  const runnable = blocks.filter((b) => !isIllustrative(b) && entryFor(b));
  if (runnable.length === 0) continue;
  test(`the shell examples in ${file} run`, { timeout: 120_000 }, async () => {
    const sandbox = new DocSandbox();
    sandboxes.push(sandbox);
    let serving: Serving | undefined;
    for (const block of runnable) {
      // The same block on two pages (the proxy start) runs once.
      const text = block.body.join("\n");
      if (alreadyRun.has(text)) continue;
      alreadyRun.add(text);
      const entry = entryFor(block)!;
      if (serving && entry.during !== serving.first) {
        await stopServing(serving);
        serving = undefined;
      }
      assert.ok(
        !entry.during || serving,
        `${where(block)}: no server from "${entry.during}" is running`,
      );
      serving = (await runBlock(sandbox, block, entry, serving?.server)) ?? serving;
    }
    await stopServing(serving);
    checkVersionHashes(file, sandbox.printed);
  });
}

/**
 * A page whose commands printed agent versions shows only those: the version hashes in
 * docs/agents.md and docs/rollouts.md are the ones the shipped examples produce.
 */
function checkVersionHashes(file: string, printed: string) {
  const produced = new Set(printed.match(/\bv_[0-9a-f]{12}\b/g) ?? []);
  if (produced.size === 0) return;
  const page = readFileSync(join(REPO, file), "utf8");
  const wrong = page
    .split("\n")
    .flatMap((line, i) =>
      (line.match(/\bv_[0-9a-f]{12}\b/g) ?? [])
        .filter((v) => !produced.has(v))
        .map((v) => `${file}:${i + 1}: ${v}`),
    );
  assert.deepEqual(
    wrong,
    [],
    `versions shown that the examples do not produce; they produce ${[...produced].join(", ")}`,
  );
}
