import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { backends } from "../support/backends.ts";
import { ADMIN_KEY } from "../support/test-app.ts";
import { bearer, KEYS, startKeyedApp } from "./start-keyed-app.ts";

const OPENAI = readFileSync("examples/agents/support-openai.yaml", "utf8");
const ANTHROPIC = readFileSync("examples/agents/support-anthropic.yaml", "utf8");
const AGENT = "northwind-support";
const start = Date.UTC(2026, 0, 1);

for (const backend of backends) {
  describe(`audit API: ${backend.name}`, () => {
    const clock = new ManualClock(start);
    let app: Awaited<ReturnType<typeof startKeyedApp>>;
    let cleanup: () => Promise<void>;
    let openai: string;
    let anthropic: string;

    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startKeyedApp({ clock, store: created.options });
    });
    after(async () => {
      await app?.dispose();
      await cleanup?.();
    });

    const get = (url: string, key: string = KEYS.viewer.key) =>
      app.app.inject({ url, headers: bearer(key) });
    const post = (url: string, key: string, payload: object) =>
      app.app.inject({ method: "POST", url, headers: bearer(key), payload });
    const audit = async (query = "") => {
      const res = await get(`/api/v1/audit${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { data: Record<string, unknown>[]; nextCursor: string | null };
    };

    it("records version pushes and activations with the caller's key name", async () => {
      const pushed = await post(`/api/v1/agents/${AGENT}/versions`, KEYS.admin.key, {
        document: OPENAI,
      });
      assert.equal(pushed.statusCode, 201, pushed.body);
      openai = pushed.json().version;
      // The same content again stores nothing and records nothing.
      await post(`/api/v1/agents/${AGENT}/versions`, ADMIN_KEY, { document: OPENAI });
      clock.advance(60_000);
      anthropic = (
        await post(`/api/v1/agents/${AGENT}/versions`, ADMIN_KEY, { document: ANTHROPIC })
      ).json().version;
      clock.advance(60_000);
      await post(`/api/v1/agents/${AGENT}/activate`, ADMIN_KEY, { version: openai });
      clock.advance(60_000);
      await post(`/api/v1/agents/${AGENT}/activate`, KEYS.admin.key, { version: anthropic });

      const { data, nextCursor } = await audit();
      assert.equal(nextCursor, null);
      assert.deepEqual(
        data.map((e) => [e["seq"], e["actor"], e["action"], e["target"], e["data"]]),
        [
          [
            4,
            "ops-lead",
            "agent.version.activate",
            AGENT,
            { version: anthropic, previous: openai },
          ],
          [3, "admin", "agent.version.activate", AGENT, { version: openai, previous: null }],
          [2, "admin", "agent.version.push", AGENT, { version: anthropic }],
          [1, "ops-lead", "agent.version.push", AGENT, { version: openai }],
        ],
      );
      assert.equal(data[3]!["createdAt"], "2026-01-01T00:00:00.000Z");
      assert.equal(data[3]!["prevHash"], "0".repeat(64));
      assert.equal(data[2]!["prevHash"], data[3]!["hash"]);
    });

    it("filters by action, actor, target and time, and pages with a cursor", async () => {
      const activations = await audit("?action=agent.version.activate");
      assert.deepEqual(
        activations.data.map((e) => e["seq"]),
        [4, 3],
      );
      const byOps = await audit("?actor=ops-lead");
      assert.deepEqual(
        byOps.data.map((e) => e["seq"]),
        [4, 1],
      );
      assert.equal((await audit("?target=someone-else")).data.length, 0);
      const window = await audit(
        `?from=${new Date(start + 60_000).toISOString()}&to=${new Date(start + 180_000).toISOString()}`,
      );
      assert.deepEqual(
        window.data.map((e) => e["seq"]),
        [3, 2],
      );
      const first = await audit("?limit=3");
      assert.deepEqual(
        first.data.map((e) => e["seq"]),
        [4, 3, 2],
      );
      const rest = await audit(`?limit=3&cursor=${first.nextCursor}`);
      assert.deepEqual(
        rest.data.map((e) => e["seq"]),
        [1],
      );
      assert.equal(rest.nextCursor, null);
    });

    it("rejects bad query parameters naming them", async () => {
      const badCursor = await get("/api/v1/audit?cursor=bm9wZQ");
      assert.equal(badCursor.statusCode, 400);
      assert.match(badCursor.json().error.message, /^query\.cursor: /);
      const badTime = await get("/api/v1/audit?from=yesterday");
      assert.equal(badTime.statusCode, 400);
      assert.match(badTime.json().error.message, /^query\.from: /);
    });

    it("verifies the chain, and finds an entry edited in the database", async () => {
      const sound = await get("/api/v1/audit/verify");
      assert.equal(sound.statusCode, 200);
      const head = (await audit("?limit=1")).data[0]!;
      assert.deepEqual(sound.json(), {
        ok: true,
        entries: 4,
        head: { seq: 4, hash: head["hash"] },
      });

      const kept = `4:${head["hash"]}`;
      assert.equal((await get(`/api/v1/audit/verify?head=${kept}`)).json().ok, true);
      const badHead = await get("/api/v1/audit/verify?head=4");
      assert.equal(badHead.statusCode, 400);
      assert.match(badHead.json().error.message, /^query\.head: expected SEQ:HASH/);

      await app.store.db.run("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2");
      const tampered = (await get("/api/v1/audit/verify")).json();
      assert.deepEqual(tampered, {
        ok: false,
        entries: 1,
        firstBadSeq: 2,
        reason: "entry 2 was altered: its hash does not match its contents",
      });
    });
  });
}
