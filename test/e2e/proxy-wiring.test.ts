import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import pino from "pino";
import { loadConfigFile } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { ADMIN_KEY, auth, eventually } from "../support/test-app.ts";

describe("examples/proxy.yaml, started as `mainstay start` would", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-proxy-"));
  let upstream: FakeLlmServer;
  let app: Mainstay;

  before(async () => {
    upstream = await startFakeOpenAI(() => ({
      text: "Sure. Write to help@shop.example any time.",
    }));
    const loaded = loadConfigFile(join(import.meta.dirname, "../../examples/proxy.yaml"), {
      OPENAI_BASE_URL: upstream.url,
    });
    app = await startMainstay(loaded, {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      port: 0,
      logger: pino({ level: "silent" }),
      store: { kind: "sqlite", file: join(dir, "db.sqlite") },
    });
  });
  after(async () => {
    await app?.close();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("guards a completion for the official client and records the exchange", async () => {
    const client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: ADMIN_KEY });
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: "My card is 4111 1111 1111 1111, can you help?" }],
    });
    assert.equal(completion.choices[0]?.message.content, "Sure. Write to [EMAIL] any time.");
    const sent = upstream.requests[0]?.body["messages"] as { content: string }[];
    assert.equal(sent.at(-1)?.content, "My card is [CARD], can you help?");
    // The exchange is recorded after the answer, through a job.
    await eventually(async () => {
      const list = await app.app.inject({
        url: "/api/v1/conversations?channel=proxy",
        headers: auth,
      });
      return list.json().data.length === 1 ? true : undefined;
    }, "the recorded exchange");
  });
});
