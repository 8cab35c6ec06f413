import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { bearer, KEYS, startKeyedApp } from "../audit/start-keyed-app.ts";
import { backends } from "../support/backends.ts";
import { ADMIN_KEY, queueDrained, signedWebhook } from "../support/test-app.ts";

type App = Awaited<ReturnType<typeof startKeyedApp>>;
type Json = Record<string, unknown>;

for (const backend of backends) {
  describe(`managed API keys: ${backend.name}`, () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let app: App;
    let cleanup: () => Promise<void>;
    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startKeyedApp({ clock, store: created.options });
    });
    after(async () => {
      await app?.dispose();
      await cleanup?.();
    });

    const call = (method: "GET" | "POST" | "DELETE", url: string, key: string, payload?: Json) =>
      app.app.inject({
        method,
        url,
        headers: bearer(key),
        ...(payload === undefined ? {} : { payload }),
      });
    const create = async (payload: Json) => {
      const res = await call("POST", "/api/v1/api-keys", ADMIN_KEY, payload);
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Json & { id: string; token: string };
    };
    const listed = async () =>
      (await call("GET", "/api/v1/api-keys", ADMIN_KEY)).json().data as Json[];
    const audit = async (query: string) =>
      (await app.store.auditLog.list({ ...query_(query), limit: 100 })).map((e) => [
        e.actor,
        e.action,
        e.target,
      ]);
    const query_ = (q: string) => Object.fromEntries(new URLSearchParams(q));

    it("creates a key whose token is shown once, works at once, and is listed without it", async () => {
      const key = await create({ name: "reporting", role: "viewer" });
      assert.match(key.token, /^msk_[A-Za-z0-9_-]{43}$/);
      assert.equal(key.status, "live");
      assert.equal(key.createdBy, "admin");
      assert.equal((await call("GET", "/api/v1/conversations", key.token)).statusCode, 200);
      const refused = await call("POST", "/api/v1/api-keys", key.token, {
        name: "x",
        role: "admin",
      });
      assert.equal(refused.statusCode, 403, "only admins manage keys");
      const [row] = await listed();
      assert.equal(row!["name"], "reporting");
      assert.equal(row!["token"], undefined);
      assert.equal(row!["tokenPrefix"], key.token.slice(0, 12));
      assert.equal(row!["lastUsedAt"], "2026-01-01T00:00:00.000Z");
      const stored = JSON.stringify(await app.store.apiKeys.list());
      assert.ok(!stored.includes(key.token), "only the token's hash is stored");
      assert.deepEqual(await audit("action=api_key.create"), [["admin", "api_key.create", key.id]]);
    });

    it("writes the last-used time at most once a minute", async () => {
      const key = await create({ name: "poller", role: "viewer" });
      const lastUsed = async () => (await listed()).find((k) => k["id"] === key.id)!["lastUsedAt"];
      await call("GET", "/api/v1/conversations", key.token);
      const first = await lastUsed();
      clock.advance(30_000);
      await call("GET", "/api/v1/conversations", key.token);
      assert.equal(await lastUsed(), first, "30 s later: not written again");
      clock.advance(30_000);
      await call("GET", "/api/v1/conversations", key.token);
      assert.equal(await lastUsed(), new Date(clock.now()).toISOString());
    });

    it("signs in to the console with an unscoped key, until it is revoked", async () => {
      const key = await create({ name: "operator-ana", role: "agent" });
      const signIn = (token: string) =>
        app.app.inject({ method: "POST", url: "/console/session", payload: { key: token } });
      const signedIn = await signIn(key.token);
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      assert.equal(signedIn.json().name, "operator-ana");
      assert.equal(signedIn.json().role, "agent");
      const cookie = String(signedIn.headers["set-cookie"]).split(";")[0]!;
      const session = () => app.app.inject({ url: "/console/session", headers: { cookie } });
      assert.equal((await session()).statusCode, 200);
      assert.equal(
        (await app.app.inject({ url: "/api/v1/conversations", headers: { cookie } })).statusCode,
        200,
      );
      assert.equal((await call("DELETE", `/api/v1/api-keys/${key.id}`, ADMIN_KEY)).statusCode, 204);
      assert.equal((await session()).statusCode, 401, "a revoked key's sessions are signed out");
      // The console is not scoped: a scoped key stays on the API.
      const scoped = await create({
        name: "scoped-ana",
        role: "agent",
        scopes: { channels: ["api"] },
      });
      const refused = await signIn(scoped.token);
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().error.code, "MS_FORBIDDEN");
    });

    it("rotates (old token refused at once) and revokes", async () => {
      const key = await create({ name: "deployer", role: "agent" });
      const rotated = await call("POST", `/api/v1/api-keys/${key.id}/rotate`, KEYS.admin.key);
      assert.equal(rotated.statusCode, 200, rotated.body);
      const token = rotated.json().token as string;
      assert.notEqual(token, key.token);
      assert.equal(rotated.json().rotatedBy, "ops-lead");
      assert.equal((await call("GET", "/api/v1/conversations", key.token)).statusCode, 401);
      assert.equal((await call("GET", "/api/v1/conversations", token)).statusCode, 200);

      const revoked = await call("DELETE", `/api/v1/api-keys/${key.id}`, ADMIN_KEY);
      assert.equal(revoked.statusCode, 204);
      assert.equal((await call("GET", "/api/v1/conversations", token)).statusCode, 401);
      const again = await call("DELETE", `/api/v1/api-keys/${key.id}`, ADMIN_KEY);
      assert.equal(again.json().error.code, "MS_NOT_FOUND");
      const rotateRevoked = await call("POST", `/api/v1/api-keys/${key.id}/rotate`, ADMIN_KEY);
      assert.equal(rotateRevoked.statusCode, 404);
      const row = (await listed()).find((k) => k["id"] === key.id)!;
      assert.deepEqual([row["status"], row["revokedBy"]], ["revoked", "admin"]);
      assert.deepEqual(await audit(`target=${key.id}`), [
        ["admin", "api_key.revoke", key.id],
        ["ops-lead", "api_key.rotate", key.id],
        ["admin", "api_key.create", key.id],
      ]);
    });

    it("refuses an expired key", async () => {
      const expiresAt = new Date(clock.now() + 60_000).toISOString();
      const key = await create({ name: "temporary", role: "viewer", expiresAt });
      assert.equal((await call("GET", "/api/v1/conversations", key.token)).statusCode, 200);
      clock.advance(60_000);
      assert.equal((await call("GET", "/api/v1/conversations", key.token)).statusCode, 401);
      assert.equal((await listed()).find((k) => k["id"] === key.id)!["status"], "expired");
    });

    it("rejects bad bodies, taken names and config names with stable codes", async () => {
      const cases: [Json, string, RegExp][] = [
        [{ name: "x y", role: "viewer" }, "MS_BAD_REQUEST", /^body\.name: /],
        [{ name: "ok", role: "root" }, "MS_BAD_REQUEST", /^body\.role: /],
        [
          { name: "ok", role: "viewer", scopes: { channels: [] } },
          "MS_BAD_REQUEST",
          /^body\.scopes\.channels: /,
        ],
        [
          { name: "ok", role: "viewer", expiresAt: "2020-01-01T00:00:00Z" },
          "MS_BAD_REQUEST",
          /must be in the future/,
        ],
        [{ name: "reporting", role: "viewer" }, "MS_API_KEY_NAME_TAKEN", /exists/],
        [
          { name: "ops-lead", role: "viewer" },
          "MS_API_KEY_NAME_TAKEN",
          /names a key in the config/,
        ],
        [{ name: "admin", role: "viewer" }, "MS_BAD_REQUEST", /admin key/],
      ];
      for (const [payload, code, message] of cases) {
        const res = await call("POST", "/api/v1/api-keys", ADMIN_KEY, payload);
        assert.equal(res.json().error?.code, code, JSON.stringify(payload));
        assert.match(res.json().error.message, message);
      }
    });

    it("keeps a scoped key to its agents and channels", async () => {
      const res = await app.app.inject(
        signedWebhook({ id: "scope-1", from: "+15550001", text: "hi" }),
      );
      assert.equal(res.statusCode, 202, res.body);
      await queueDrained(app.store);
      const conversation = res.json().conversationId as string;
      const inScope = await create({
        name: "api-desk",
        role: "agent",
        scopes: { channels: ["api"], agents: ["support"] },
      });
      const otherChannel = await create({
        name: "web-desk",
        role: "agent",
        scopes: { channels: ["web"] },
      });
      const get = (url: string, token: string) => call("GET", url, token);

      assert.equal(
        (await get(`/api/v1/conversations/${conversation}`, inScope.token)).statusCode,
        200,
      );
      const outside = await get(`/api/v1/conversations/${conversation}`, otherChannel.token);
      assert.equal(outside.statusCode, 403);
      assert.match(outside.json().error.message, /channel "api" is outside its scopes \(web\)/);
      assert.equal(
        (await get("/api/v1/conversations?channel=api", inScope.token)).statusCode,
        403,
        "agents scope: a list spans every agent",
      );
      const listAll = await get("/api/v1/conversations", otherChannel.token);
      assert.match(listAll.json().error.message, /name one of its channels \(web\) in the query/);
      assert.equal(
        (await get("/api/v1/conversations?channel=web", otherChannel.token)).statusCode,
        200,
      );
      // The built-in agent has no stored versions: past the scope check, the route's own 404.
      const ownAgent = await get("/api/v1/agents/support/versions", inScope.token);
      assert.equal(ownAgent.json().error.code, "MS_NOT_FOUND");
      const otherAgent = await get("/api/v1/agents/billing/versions", inScope.token);
      assert.match(otherAgent.json().error.message, /agent "billing" is outside its scopes/);
      const unscoped = await get("/api/v1/audit", inScope.token);
      assert.equal(unscoped.statusCode, 403);
      assert.match(unscoped.json().error.message, /GET \/api\/v1\/audit does not honour scopes/);
      assert.equal((await get("/api/v1/conversations/conv_nope", inScope.token)).statusCode, 404);
    });

    it("records admin keys' uses, at most once a minute per key and route, chain intact", async () => {
      const admin = await create({ name: "robot-admin", role: "admin" });
      const uses = () => audit("action=api_key.used");
      const before = (await uses()).length;
      for (const token of [admin.token, admin.token, KEYS.admin.key, KEYS.viewer.key]) {
        await call("GET", "/api/v1/outbox/dead", token);
      }
      // The key's own create is audited by its route, not as a use.
      assert.deepEqual((await uses()).slice(0, 2), [
        ["ops-lead", "api_key.used", "GET /api/v1/outbox/dead"],
        ["robot-admin", "api_key.used", "GET /api/v1/outbox/dead"],
      ]);
      assert.equal(
        (await uses()).length,
        before + 2,
        "viewers are not recorded; repeats throttled",
      );
      clock.advance(60_000);
      await call("GET", "/api/v1/outbox/dead", admin.token);
      assert.equal((await uses()).length, before + 3);
      const verified = await call("GET", "/api/v1/audit/verify", ADMIN_KEY);
      assert.equal(verified.json().ok, true, verified.body);
    });
  });
}
