import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ChatProvider, ChatResponse } from "../../../src/agents/providers/index.ts";
import type { FakeLlmServer } from "../../support/fake-llm-servers.ts";
import { collect, sampleAnswers, weatherConversation } from "./provider-contract.ts";

export interface SdkClients {
  ours: ChatProvider;
  /** The official SDK makes the call `weatherConversation` describes, read into our shape. */
  sdkChat(): Promise<ChatResponse>;
  sdkStream(): Promise<{ texts: string[]; response: ChatResponse }>;
}

export interface SdkParity {
  start(): Promise<FakeLlmServer>;
  connect(url: string): SdkClients;
  /** Request headers ours must send as the SDK does (authentication, version). */
  headers: string[];
}

/**
 * Proves a fake server speaks the real protocol and our provider sends what the official
 * SDK sends: both talk to the same fake, must read its JSON and SSE answers alike, and
 * must post the same bodies for the same call.
 */
export function sdkParityContract(name: string, parity: SdkParity) {
  describe(`the ${name} SDK and our provider on the same fake server`, () => {
    let fake: FakeLlmServer;
    let clients: SdkClients;
    before(async () => {
      fake = await parity.start();
      clients = parity.connect(fake.url);
    });
    after(() => fake.close());

    for (const [kind, answer] of Object.entries(sampleAnswers)) {
      it(`reads a ${kind} answer alike`, async () => {
        fake.script = () => answer;
        const expected = await clients.sdkChat();
        assert.deepEqual(await clients.ours.chat(weatherConversation), expected);
      });

      it(`reads a streamed ${kind} answer alike`, async () => {
        fake.script = () => answer;
        const expected = await clients.sdkStream();
        const chunks = await collect(clients.ours.stream!(weatherConversation));
        assert.ok(expected.texts.length > 1, "the SDK saw the text in pieces");
        assert.deepEqual(
          chunks.flatMap((c) => (c.type === "text" ? [c.text] : [])),
          expected.texts,
        );
        assert.deepEqual(chunks.at(-1), { type: "done", response: expected.response });
      });
    }

    it("posts the path, headers and body the SDK posts, streaming or not", async () => {
      fake.script = () => sampleAnswers.text;
      await clients.sdkChat();
      await clients.ours.chat(weatherConversation);
      await clients.sdkStream();
      await collect(clients.ours.stream!(weatherConversation));
      const [sdkPlain, ourPlain, sdkStream, ourStream] = fake.requests.slice(-4);
      assert.deepEqual(ourPlain!.body, sdkPlain!.body);
      assert.deepEqual(ourStream!.body, sdkStream!.body);
      assert.equal(ourPlain!.path, sdkPlain!.path.replace(/\?.*$/, ""));
      for (const header of parity.headers) {
        assert.equal(ourPlain!.headers[header], sdkPlain!.headers[header], header);
      }
    });
  });
}
