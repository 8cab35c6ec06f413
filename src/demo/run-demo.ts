import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pino from "pino";
import WebSocket from "ws";
import { SIGNATURE_HEADER, signGenericBody } from "../channels/index.ts";
import { parseConfigText } from "../config/index.ts";
import { type Mainstay, startMainstay } from "../main.ts";
import { parseRolloutBody } from "../rollouts/index.ts";
import { seededRandom } from "../shared/random.ts";
import { writeRegressedKnowledge } from "./regressed-knowledge.ts";

const KNOWLEDGE = resolve(import.meta.dirname, "../../examples/knowledge");
const SECRET = "demo-channel-secret-not-for-production";
const ADMIN_KEY = "demo-admin-key-0123456789abcdef";

const agentDocument = (knowledgeDir: string, note: string) => `
id: northwind-support
description: ${note}
provider: { type: builtin }
knowledgeDir: ${JSON.stringify(knowledgeDir)}
systemPrompt: Answer Northwind Mobile customers from the knowledge base.
`;

export interface DemoOptions {
  port: number;
  /** Stop once the rollback has been shown (tests, CI) instead of serving until Ctrl-C. */
  exit: boolean;
  out: NodeJS.WritableStream;
  /** Milliseconds between simulated customers. */
  paceMs: number;
  /** Give up after this many simulated conversations. */
  maxConversations: number;
}

export interface DemoResult {
  rolledBack: boolean;
  conversations: number;
  reason?: string;
}

/**
 * `mainstay demo`: Mainstay on a throwaway SQLite database, simulated customers writing
 * over web chat (a real WebSocket) and the JSON webhook, and a canary of a deliberately
 * regressed candidate (its knowledge base leaks a card number in every other answer). It
 * prints the traffic split and the evidence as they grow, then the automatic rollback.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const say = (line: string) => options.out.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), "mainstay-demo-"));
  let app: Mainstay | undefined;
  try {
    writeFileSync(join(dir, "baseline.yaml"), agentDocument(KNOWLEDGE, "the agent in production"));
    const questions = writeRegressedKnowledge(KNOWLEDGE, join(dir, "regressed-knowledge"));
    const config = `
server: { host: 127.0.0.1, port: ${options.port} }
storage: { dataDir: ${JSON.stringify(join(dir, "data"))} }
agent: { type: document, file: baseline.yaml }
channels:
  - { id: web, type: webchat, title: Northwind Mobile (demo) }
  - { id: api, type: generic, secret: ${SECRET} }
outbox: { pollIntervalMs: 50 }
# Each simulated customer sends one line: answer it at once rather than waiting for more.
limits: { coalesceMs: 0 }
`;
    app = await startMainstay(parseConfigText(config, join(dir, "mainstay.yaml")), {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      logger: pino({ level: "silent" }),
      announce: () => {},
    });
    const inject = app.app.inject.bind(app.app);
    const auth = { authorization: `Bearer ${ADMIN_KEY}` };
    const baseline = (
      await inject({ url: "/api/v1/agents/northwind-support/versions", headers: auth })
    ).json().active as string;
    const pushed = await inject({
      method: "POST",
      url: "/api/v1/agents/northwind-support/versions",
      headers: auth,
      payload: {
        document: agentDocument(join(dir, "regressed-knowledge"), "a content update (regressed)"),
      },
    });
    const candidate = pushed.json().version as string;
    const rollout = await app.rollouts.start(
      parseRolloutBody({
        agent: "northwind-support",
        candidate,
        steps: [{ canary: "30%", minConversations: 300 }, { canary: "60%" }],
        gates: [{ metric: "violation", margin: 0.02 }],
      }),
      "demo",
    );
    say(`Mainstay is running at ${app.url} (web chat: ${app.url}/chat/web)`);
    say(`Operator console: ${app.url}/console (sign in with the key ${ADMIN_KEY})`);
    say(`Baseline ${baseline} serves production. Candidate ${candidate} is a content update`);
    say("that, unknown to its author, leaks a card number in some answers.");
    say(`Rollout ${rollout.id}: 30% of new conversations (sticky) go to the candidate;`);
    say("every reply passes the guardrails, and the rollout is judged after every conversation.\n");

    const random = seededRandom(7);
    let n = 0;
    let status = await app.rollouts.status(rollout.id);
    while (status.rollout.state === "running" && n < options.maxConversations) {
      n++;
      const question = questions[Math.floor(random.next() * questions.length)]!;
      if (n % 2 === 0) await askOverWebChat(app.url, `demo-web-customer-${n}`, question);
      else await askOverWebhook(app, n, question);
      await app.rollouts.idle();
      status = await app.rollouts.status(rollout.id);
      if (n % 5 === 0 && status.current) say(progressLine(n, status.current));
      await new Promise((r) => setTimeout(r, options.paceMs));
    }
    const last = status.decisions.at(-1);
    if (status.rollout.state !== "rolled_back" || !last) {
      say(`\nNo rollback after ${n} conversations (state ${status.rollout.state}).`);
      return { rolledBack: false, conversations: n };
    }
    say(`\nROLLED BACK automatically after ${n} conversations: ${last.reason}`);
    say(
      `${last.evidence["movedConversations"]} live candidate conversations continue on the baseline from their next turn;`,
    );
    say("new conversations all start on the baseline.");
    const incident = await app.store.incidents.latestUnresolved();
    if (incident)
      say(`Incident ${incident.id} opened: ${incident.title}; alert destinations notified.`);
    say("Decision, evidence, incident and audit entry are stored:");
    say(`  curl -H 'Authorization: Bearer ${ADMIN_KEY}' ${app.url}/api/v1/rollouts/${rollout.id}`);
    say(`  curl -H 'Authorization: Bearer ${ADMIN_KEY}' ${app.url}/api/v1/incidents`);
    if (!options.exit) {
      say("\nThe server keeps running: chat at the URL above, or press Ctrl-C to stop.");
      await new Promise<void>((done) => {
        process.once("SIGINT", done);
        process.once("SIGTERM", done);
      });
    }
    return { rolledBack: true, conversations: n, reason: last.reason };
  } finally {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function progressLine(
  n: number,
  current: Awaited<ReturnType<Mainstay["rollouts"]["status"]>>["current"],
) {
  const gate = current?.evidence.gates[0];
  if (gate?.kind !== "rate") return `${n} conversations`;
  const e = Math.exp(gate.harm.logE);
  const bar = "█".repeat(
    Math.min(20, Math.max(0, Math.round((gate.harm.logE / gate.harm.threshold) * 20))),
  );
  return (
    `${String(n).padStart(4)} conversations | baseline ${gate.baseline.n} (${gate.baseline.bad} leaked) · ` +
    `candidate ${gate.candidate.n} (${gate.candidate.bad} leaked) | harm evidence ${e.toFixed(1).padStart(5)} / ` +
    `${Math.exp(gate.harm.threshold).toFixed(0)} ${bar.padEnd(20, "·")}`
  );
}

/** One customer on the JSON webhook: send a signed question, wait until it is answered. */
async function askOverWebhook(app: Mainstay, n: number, text: string) {
  const payload = JSON.stringify({
    id: `demo-${n}`,
    from: `+1555700${String(n).padStart(4, "0")}`,
    text,
  });
  const res = await app.app.inject({
    method: "POST",
    url: "/webhooks/api",
    payload,
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: signGenericBody(SECRET, payload),
    },
  });
  const { conversationId } = res.json() as { conversationId: string };
  for (let i = 0; i < 500; i++) {
    const messages = await app.store.messages.recent(conversationId, 5);
    if (messages.some((m) => m.direction === "outbound")) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One customer on the web chat page's protocol: send a question, wait for the answer. */
function askOverWebChat(baseUrl: string, session: string, text: string): Promise<void> {
  const url = `${baseUrl.replace(/^http/, "ws")}/chat/web/ws?session=${session}`;
  return new Promise((done, fail) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => socket.close(), 10_000);
    socket.on("open", () => socket.send(JSON.stringify({ type: "message", id: "q1", text })));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { type: string; message?: { id: string } };
      if (frame.type !== "message") return;
      // As the page does: the reply counts as delivered once acknowledged.
      socket.send(JSON.stringify({ type: "received", id: frame.message?.id }));
      socket.close();
    });
    socket.on("close", () => {
      clearTimeout(timer);
      done();
    });
    socket.on("error", fail);
  });
}
