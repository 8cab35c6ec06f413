import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { apiKeyring, requireApiKey } from "../../src/api/auth/index.ts";
import { registerErrorHandling } from "../../src/api/error-handler.ts";
import { agentRoutes } from "../../src/api/routes/agents.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { backends } from "../support/backends.ts";
import { EXAMPLE_SECRETS } from "../support/document-agent.ts";
import { ADMIN_KEY, auth } from "../support/test-app.ts";
import { openTestService } from "../support/test-service.ts";

const OPENAI = readFileSync("examples/agents/support-openai.yaml", "utf8");
const ANTHROPIC = readFileSync("examples/agents/support-anthropic.yaml", "utf8");

/** The agents routes as buildApp mounts them: behind the admin key, with the error mapping. */
async function agentsApp(store: Parameters<typeof agentRoutes>[1]["store"], clock: ManualClock) {
  const app = Fastify();
  registerErrorHandling(app);
  await app.register(async (api) => {
    api.addHook("onRequest", requireApiKey(apiKeyring(ADMIN_KEY, [])));
    await api.register(agentRoutes, { store, clock, secrets: Object.keys(EXAMPLE_SECRETS) });
  });
  return app;
}

for (const backend of backends) {
  describe(`agents API: ${backend.name}`, () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let app: FastifyInstance;
    let close: () => Promise<void>;
    let cleanup: () => Promise<void>;

    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      const service = await openTestService(clock, created.options);
      close = service.close;
      app = await agentsApp(service.store, clock);
    });
    after(async () => {
      await app?.close();
      await close?.();
      await cleanup?.();
    });

    const get = (url: string) => app.inject({ url, headers: auth });
    const post = (url: string, payload: object) =>
      app.inject({ method: "POST", url, payload, headers: auth });
    const push = (document: string, id = "northwind-support") =>
      post(`/api/v1/agents/${id}/versions`, { document });

    it("requires the admin key", async () => {
      const res = await app.inject({ url: "/api/v1/agents/northwind-support/versions" });
      assert.equal(res.statusCode, 401);
    });

    it("pushes a version once: 201, then 200 with the same version", async () => {
      const first = await push(OPENAI);
      assert.equal(first.statusCode, 201, first.body);
      const body = first.json();
      assert.match(body.version, /^v_[0-9a-f]{12}$/);
      assert.deepEqual(body, {
        agentId: "northwind-support",
        version: body.version,
        createdAt: "2026-01-01T00:00:00.000Z",
        created: true,
      });
      clock.advance(60_000);
      const again = await push(`# pushed again\n${OPENAI}`);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json(), { ...body, created: false });
    });

    it("lists, reads, diffs and activates versions", async () => {
      clock.advance(60_000);
      const a = (await push(OPENAI)).json().version as string;
      const b = (await push(ANTHROPIC)).json().version as string;
      const list = await get("/api/v1/agents/northwind-support/versions");
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json(), {
        agentId: "northwind-support",
        active: null,
        data: [
          { version: b, createdAt: "2026-01-01T00:02:00.000Z", active: false },
          { version: a, createdAt: "2026-01-01T00:00:00.000Z", active: false },
        ],
      });

      const read = (await get(`/api/v1/agents/northwind-support/versions/${b}`)).json();
      assert.equal(read.source, ANTHROPIC);
      assert.equal(read.document.provider.type, "anthropic");
      assert.equal(read.document.limits.maxToolRounds, 3);

      const diff = await get(`/api/v1/agents/northwind-support/versions/${a}/diff/${b}`);
      assert.equal(diff.statusCode, 200);
      const changes = diff.json();
      assert.equal(changes.from, a);
      assert.equal(changes.to, b);
      const type = changes.changes.find((c: { path: string }) => c.path === "provider.type");
      assert.deepEqual(type, {
        kind: "changed",
        path: "provider.type",
        before: "openai-compatible",
        after: "anthropic",
      });
      assert.match(changes.text, /^- provider\.baseUrl: "https:\/\/api\.openai\.com\/v1"$/m);

      const activated = await post("/api/v1/agents/northwind-support/activate", { version: b });
      assert.equal(activated.statusCode, 200);
      assert.deepEqual(activated.json(), {
        agentId: "northwind-support",
        version: b,
        updatedAt: "2026-01-01T00:02:00.000Z",
        previous: null,
      });
      const after = (await get("/api/v1/agents/northwind-support/versions")).json();
      assert.equal(after.active, b);
      assert.equal(after.data[0].active, true);
    });

    it("answers invalid documents with MS_AGENT_INVALID naming line and field", async () => {
      const res = await push(OPENAI.replace("maxTokens: 400", "maxTokens: lots"));
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, "MS_AGENT_INVALID");
      assert.match(res.json().error.message, /^body\.document:\d+:\d+: limits\.maxTokens: /);

      const other = await push(OPENAI, "sales");
      assert.equal(other.statusCode, 400);
      assert.equal(other.json().error.code, "MS_AGENT_INVALID");
      assert.match(other.json().error.message, /is not the agent "sales"/);

      const notJson = await post("/api/v1/agents/northwind-support/versions", { yaml: OPENAI });
      assert.equal(notJson.json().error.code, "MS_BAD_REQUEST");
      assert.match(notJson.json().error.message, /^body\.document: /);
    });

    it("answers MS_NOT_FOUND for unknown agents and versions, 400 for malformed ids", async () => {
      const cases = [
        get("/api/v1/agents/nobody/versions"),
        get("/api/v1/agents/northwind-support/versions/v_000000000000"),
        get("/api/v1/agents/northwind-support/versions/v_000000000000/diff/v_000000000001"),
        post("/api/v1/agents/northwind-support/activate", { version: "v_000000000000" }),
      ];
      for (const res of await Promise.all(cases)) {
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(res.json().error.code, "MS_NOT_FOUND");
      }
      const bad = await get("/api/v1/agents/northwind-support/versions/latest");
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error.message, /^params\.version: /);
    });
  });
}
