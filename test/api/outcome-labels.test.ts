import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { backends } from "../support/backends.ts";
import {
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

const H = 3_600_000;
const start = Date.UTC(2026, 2, 2, 9);

for (const backend of backends) {
  describe(`outcome labels API: ${backend.name}`, () => {
    const clock = new ManualClock(start);
    let app: TestApp;
    let cleanup: () => Promise<void>;
    let n = 0;
    const ids: Record<string, string> = {};

    const say = async (from: string, text: string) => {
      const res = await app.app.inject(signedWebhook({ id: `o-${++n}`, from, text }));
      assert.equal(res.statusCode, 202, res.body);
      await queueDrained(app.store);
      return res.json().conversationId as string;
    };
    const post = async (url: string, payload: object = {}) => {
      const res = await app.app.inject({ method: "POST", url, headers: auth, payload });
      assert.ok(res.statusCode < 300, `${url}: ${res.body}`);
      await queueDrained(app.store);
    };
    const get = (url: string) => app.app.inject({ url, headers: auth });
    const outcomeOf = async (id: string) =>
      (await get(`/api/v1/conversations/${id}`)).json().outcome;

    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startTestApp({
        clock,
        store: created.options,
        extraYaml: "outcomes: { idleHours: 1, reopenDays: 1 }\n",
      });
      // One conversation per label, all on the built-in agent's version "1".
      ids["assumed"] = await say("+15550700001", "How long does shipping take?");
      ids["confirmed"] = await say("+15550700002", "How long does shipping take?");
      await post(`/api/v1/conversations/${ids["confirmed"]}/feedback`, { thumbs: "up" });
      ids["escalated"] = await say("+15550700003", "I want to speak to a human");
      await post(`/api/v1/conversations/${ids["escalated"]}/messages`, { text: "Sam here." });
      ids["abandoned"] = await say("+15550700004", "I want to speak to a human");
      ids["reopened"] = await say("+15550700005", "How long does shipping take?");
      await post(`/api/v1/conversations/${ids["reopened"]}/resolve`);
      clock.advance(2 * H);
      // Back the same morning: a new conversation, answered just now.
      ids["open"] = await say("+15550700005", "And returns?");
    });
    after(async () => {
      await app?.dispose();
      await cleanup?.();
    });

    it("labels each conversation on its detail", async () => {
      assert.notEqual(ids["open"], ids["reopened"]);
      const got = Object.fromEntries(
        await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, await outcomeOf(id)])),
      );
      assert.deepEqual(got, {
        assumed: { label: "resolved_assumed", reason: "bot_answered_then_quiet" },
        confirmed: { label: "resolved_confirmed", reason: "positive_feedback" },
        escalated: { label: "escalated", reason: "handed_off" },
        abandoned: { label: "abandoned", reason: "no_reply_from_person" },
        reopened: { label: "reopened", reason: "customer_returned" },
        open: { label: "open", reason: "in_progress" },
      });
    });

    it("counts the labels per version, with shares", async () => {
      const res = await get("/api/v1/agents/support/outcomes");
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.to, new Date(start + 2 * H).toISOString());
      assert.equal(body.from, new Date(start + 2 * H - 7 * 24 * H).toISOString());
      assert.deepEqual(body.data, [
        {
          version: "1",
          total: 6,
          counts: {
            resolved_confirmed: 1,
            resolved_assumed: 1,
            reopened: 1,
            escalated: 1,
            abandoned: 1,
            open: 1,
          },
          shares: {
            resolved_confirmed: 1 / 6,
            resolved_assumed: 1 / 6,
            reopened: 1 / 6,
            escalated: 1 / 6,
            abandoned: 1 / 6,
            open: 1 / 6,
          },
        },
      ]);
    });

    it("counts only conversations that started in the range", async () => {
      const later = await get(`/api/v1/agents/support/outcomes?from=${start + H}`);
      assert.equal(later.json().data[0].total, 1);
      const iso = new Date(start + H).toISOString();
      const earlier = await get(`/api/v1/agents/support/outcomes?from=${start}&to=${iso}`);
      assert.equal(earlier.json().data[0].total, 5);
      const none = await get("/api/v1/agents/nobody/outcomes");
      assert.deepEqual(none.json().data, []);
    });

    it("answers a bad range with a stable code", async () => {
      const cases: [string, string][] = [
        [`?from=${start}&to=${start}`, "MS_OUTCOMES_RANGE"],
        ["?from=yesterday", "MS_BAD_REQUEST"],
      ];
      for (const [query, code] of cases) {
        const res = await get(`/api/v1/agents/support/outcomes${query}`);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error.code, code);
      }
    });
  });
}
