import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { bearer, KEYS, type KeyedApp, startKeyedPair } from "../audit/start-keyed-app.ts";
import { backends } from "../support/backends.ts";
import { ADMIN_KEY } from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");

type App = KeyedApp;

describe("managed API keys on two instances of one PostgreSQL", {
  skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set",
}, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let a: App;
  let b: App;
  let pair: Awaited<ReturnType<typeof startKeyedPair>> | undefined;

  before(async () => {
    pair = await startKeyedPair(postgres!, clock);
    ({ a, b } = pair);
  });
  after(() => pair?.dispose());

  const read = (app: App, token: string) =>
    app.app.inject({ url: "/api/v1/conversations", headers: bearer(token) });
  const create = async (name: string, role: string) => {
    const res = await a.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: bearer(ADMIN_KEY),
      payload: { name, role },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; token: string };
  };

  it("a key made on A works on B, and a revoke on A is refused on B at once", async () => {
    const key = await create("shared", "viewer");
    assert.equal((await read(b, key.token)).statusCode, 200);
    const revoked = await a.app.inject({
      method: "DELETE",
      url: `/api/v1/api-keys/${key.id}`,
      headers: bearer(ADMIN_KEY),
    });
    assert.equal(revoked.statusCode, 204);
    // No clock advance, no wait: B reads the key's row on each request.
    assert.equal((await read(b, key.token)).statusCode, 401);
  });

  it("a rotation on B refuses the old token on A at once", async () => {
    const key = await create("rotated", "viewer");
    assert.equal((await read(a, key.token)).statusCode, 200);
    const rotated = await b.app.inject({
      method: "POST",
      url: `/api/v1/api-keys/${key.id}/rotate`,
      headers: bearer(KEYS.admin.key),
    });
    assert.equal((await read(a, key.token)).statusCode, 401);
    assert.equal((await read(a, rotated.json().token)).statusCode, 200);
  });

  it("records one api_key.used per key and route per minute across both instances", async () => {
    const key = await create("robot", "admin");
    const uses = async () =>
      (await a.store.auditLog.list({ action: "api_key.used", actor: "robot", limit: 10 })).length;
    await read(a, key.token);
    await read(b, key.token);
    assert.equal(await uses(), 1, "B sees A's claim for this minute");
    clock.advance(60_000);
    await read(b, key.token);
    assert.equal(await uses(), 2);
    const verified = await b.app.inject({
      url: "/api/v1/audit/verify",
      headers: bearer(ADMIN_KEY),
    });
    assert.equal(verified.json().ok, true, verified.body);
  });
});
