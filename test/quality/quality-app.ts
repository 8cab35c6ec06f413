import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobQueue } from "../../src/jobs/index.ts";
import { QUALITY_JOB } from "../../src/quality/index.ts";
import type { ManualClock } from "../../src/shared/clock.ts";
import type { Random } from "../../src/shared/random.ts";
import type { StoreOptions } from "../../src/store/index.ts";
import { type FakeLlmRequest, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import {
  auth,
  KNOWLEDGE_DIR,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

/** What the scripted agents say: the bad one is rude, the good one helpful. */
export const RUDE = "Figure it out yourself.";
const CARD_REPLY = "The card on file is 4111 1111 1111 1111.";

const agentDocument = (baseUrl: string, model: string) => `
id: support
provider: { type: openai-compatible, model: ${model}, baseUrl: ${baseUrl}, apiKeySecret: fake-llm }
knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)}
systemPrompt: Answer the customer.
`;

const lastUser = (request: FakeLlmRequest) => {
  const messages = request.body["messages"] as { role: string; content: string }[];
  return messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
};

/**
 * One fake OpenAI-compatible server plays both agents and the judge: `good-1` answers
 * helpfully (and reads a card number back when asked about the card, which the outbound
 * policy catches), `bad-1` is rude, and `judge-1` scores a conversation with a rude line
 * 1 on every criterion, any other 5.
 */
export async function startScriptedLlm() {
  return startFakeOpenAI((request) => {
    const model = String(request.body["model"]);
    const text = lastUser(request);
    if (model === "judge-1") {
      const score = text.includes(RUDE) ? 1 : 5;
      const scores = { resolution: score, policy_adherence: score, tone: score };
      return {
        text: JSON.stringify({
          scores: { ...scores, factual_grounding: score },
          reason: score === 1 ? "rude" : "helpful",
        }),
        usage: { input: 200, output: 30 },
      };
    }
    if (model === "bad-1") return { text: RUDE };
    if (text.includes("card")) return { text: CARD_REPLY };
    return { text: "Delivery takes 2 to 4 working days." };
  });
}

export type ScriptedLlm = Awaited<ReturnType<typeof startScriptedLlm>>;

/** An app whose active agent is `good-1` on the fake server, with `quality:` configured. */
export async function startQualityApp(options: {
  llm: ScriptedLlm;
  clock: ManualClock;
  random: Random;
  store: StoreOptions;
  quality: string;
  extraYaml?: string;
}) {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-quality-"));
  writeFileSync(join(dir, "support.yaml"), agentDocument(options.llm.url, "good-1"));
  const judge = `{ type: openai-compatible, model: judge-1, baseUrl: ${options.llm.url}, apiKeySecret: fake-llm }`;
  let app: TestApp;
  try {
    app = await startTestApp({
      dataDir: dir,
      agent: `{ type: document, file: ${JSON.stringify(join(dir, "support.yaml"))} }`,
      clock: options.clock,
      random: options.random,
      store: options.store,
      extraYaml: `secrets: { fake-llm: sk-test }
outcomes: { idleHours: 1 }
quality: { judge: ${judge}, ${options.quality} }
${options.extraYaml ?? ""}`,
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const inject = app.app.inject.bind(app.app);
  let sent = 0;
  return {
    app,
    inject,
    /** Stores the bad agent as a version. */
    async pushBad(): Promise<string> {
      const res = await inject({
        method: "POST",
        url: "/api/v1/agents/support/versions",
        headers: auth,
        payload: { document: agentDocument(options.llm.url, "bad-1") },
      });
      if (res.statusCode >= 300) throw new Error(`push failed: ${res.body}`);
      return res.json().version;
    },
    /** One new customer asks `text`; returns the conversation once answered. */
    async converse(text: string): Promise<string> {
      sent++;
      const id = `q-${sent}`;
      await inject(signedWebhook({ id, from: `+1555800${String(sent).padStart(4, "0")}`, text }));
      await queueDrained(app.store);
      const message = await app.store.messages.findInbound("api", id);
      if (!message) throw new Error(`message ${id} was not stored`);
      return message.conversationId;
    },
    /** Runs quality passes as the worker does until none is left. */
    async judgeAll(): Promise<void> {
      const queue = jobQueue(app.store.db);
      const now = options.clock.now();
      await queue.enqueue(
        app.store.db,
        { kind: QUALITY_JOB, payload: {}, queueKey: "quality", maxAttempts: 3, runAt: now },
        now,
      );
      app.worker.wake();
      await queueDrained(app.store);
    },
    async dispose() {
      await app.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
