import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { disclose, languageOf } from "../../../src/agents/turn/disclosure.ts";
import type { Message } from "../../../src/store/index.ts";
import { BASELINE_DOCUMENT, startDocumentAgentApp } from "../../support/document-agent.ts";
import {
  auth,
  KNOWLEDGE_DIR,
  queueDrained,
  signedWebhook,
  startTestApp,
} from "../../support/test-app.ts";

const EN = "You are chatting with Northwind's automated assistant.";
const DE = "Sie chatten mit dem automatischen Assistenten von Northwind.";
const disclosure = { text: EN, locales: { de: DE } };

const message = (direction: "inbound" | "outbound", author: Message["author"]) =>
  ({ direction, author }) as Message;

describe("AI disclosure: which message carries it", () => {
  const at = (history: Message[], customerText = "Where is my order?") => ({
    channelType: "webchat",
    history,
    customerText,
  });

  it("goes before the first automated reply, and again after a person wrote", () => {
    assert.deepEqual(disclose("Hi!", disclosure, at([message("inbound", "customer")])), {
      text: `${EN}\n\nHi!`,
      locale: "default",
    });
    const answered = [message("inbound", "customer"), message("outbound", "agent")];
    assert.equal(disclose("Again.", disclosure, at(answered)), undefined);
    const handedBack = [...answered, message("outbound", "human"), message("inbound", "customer")];
    assert.equal(disclose("Back.", disclosure, at(handedBack))?.text, `${EN}\n\nBack.`);
    // Mainstay's own messages are automated too.
    assert.equal(disclose("x", disclosure, at([message("outbound", "system")])), undefined);
  });

  it("keeps to the channels it names, and to replies with words", () => {
    const scoped = { ...disclosure, channels: ["twilio"] };
    assert.equal(disclose("Hi!", scoped, at([])), undefined);
    assert.equal(disclose("  ", disclosure, at([])), undefined);
    assert.equal(disclose(`${EN} Hi!`, disclosure, at([])), undefined, "already there");
  });

  it("speaks the customer's language when the document has it", () => {
    const german = at([], "Wo ist meine Bestellung? Ich warte seit einer Woche.");
    assert.deepEqual(disclose("Hallo!", disclosure, german), {
      text: `${DE}\n\nHallo!`,
      locale: "de",
    });
    assert.equal(languageOf("Où est ma commande ? Je ne la vois pas.", ["fr", "de"]), "fr");
    assert.equal(languageOf("¿Dónde está mi pedido? No llega.", ["es"]), "es");
    assert.equal(languageOf("Where is my order? It is late.", ["de"]), undefined);
    assert.equal(languageOf("ok", ["de"]), undefined, "too short to tell");
  });
});

describe("AI disclosure through the pipeline", () => {
  let env: Awaited<ReturnType<typeof startDocumentAgentApp>>;
  let n = 0;
  before(async () => {
    env = await startDocumentAgentApp();
    const version = await env.push(
      `${BASELINE_DOCUMENT}disclosure:\n  text: "${EN}"\n  locales: { de: "${DE}" }\n`,
    );
    const activated = await env.inject({
      method: "POST",
      url: "/api/v1/agents/support/activate",
      headers: auth,
      payload: { version },
    });
    assert.equal(activated.statusCode, 200, activated.body);
  });
  after(() => env?.dispose());

  const say = async (from: string, text: string) => {
    const res = await env.inject(signedWebhook({ id: `d-${++n}`, from, text }));
    assert.equal(res.statusCode, 202, res.body);
    await queueDrained(env.app.store);
    return res.json().conversationId as string;
  };
  const replies = async (id: string) =>
    (
      (await env.inject({ url: `/api/v1/conversations/${id}/messages`, headers: auth })).json()
        .data as {
        direction: string;
        author: string;
        text: string;
        meta: Record<string, unknown>;
      }[]
    ).filter((m) => m.direction === "outbound" && m.author !== "human");

  it("discloses on the first reply, not the next, and again after a handback", async () => {
    const id = await say("+15550301", "How long does shipping take?");
    await say("+15550301", "Do you ship to Canada?");
    const [first, second] = await replies(id);
    assert.ok(first?.text.startsWith(EN), first?.text);
    assert.equal(first?.meta["disclosure"], "default");
    assert.ok(second && !second.text.includes(EN), second?.text);

    const human = await env.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/messages`,
      headers: auth,
      payload: { text: "A person here, all good?" },
    });
    assert.equal(human.statusCode, 202, human.body);
    const back = await env.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/handback`,
      headers: auth,
      payload: {},
    });
    assert.equal(back.statusCode, 200, back.body);
    await say("+15550301", "How long does shipping take?");
    const after = (await replies(id)).filter((m) => m.meta["notice"] === undefined).at(-1);
    assert.ok(after?.text.startsWith(EN), after?.text);
  });

  it("in the customer's language", async () => {
    const id = await say("+15550302", "Wo ist meine Bestellung? Ich warte seit einer Woche.");
    const [first] = await replies(id);
    assert.ok(first?.text.startsWith(DE), first?.text);
    assert.equal(first?.meta["disclosure"], "de");
  });
});

describe("AI disclosure of the built-in agent in mainstay.yaml", () => {
  it("takes the same setting as a document and discloses the first reply", async () => {
    const app = await startTestApp({
      agent: `{ id: support, type: builtin, knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)},
        disclosure: { text: "${EN}", channels: [generic] } }`,
    });
    try {
      const res = await app.app.inject(signedWebhook({ id: "b-1", from: "+15550303", text: "Hi" }));
      assert.equal(res.statusCode, 202, res.body);
      await queueDrained(app.store);
      const sent = (
        await app.app.inject({
          url: `/api/v1/conversations/${res.json().conversationId}/messages`,
          headers: auth,
        })
      ).json().data as { direction: string; text: string; meta: Record<string, unknown> }[];
      const reply = sent.find((m) => m.direction === "outbound");
      assert.ok(reply?.text.startsWith(EN), reply?.text);
      assert.equal(reply?.meta["disclosure"], "default");
    } finally {
      await app.dispose();
    }
  });
});
