import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SESSION_TTL_MS } from "../../src/api/console/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { KEYS, type KeyedApp, startKeyedPair } from "../audit/start-keyed-app.ts";
import { backends } from "../support/backends.ts";
import { auth } from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");

type App = KeyedApp;

async function signIn(app: App, key: string) {
  const res = await app.app.inject({ method: "POST", url: "/console/session", payload: { key } });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as { id: string; csrfToken: string };
  return { ...body, cookie: String(res.headers["set-cookie"]).split(";")[0]! };
}

const read = (app: App, cookie: string) =>
  app.app.inject({ url: "/api/v1/conversations", headers: { cookie } });

describe("console sessions shared by instances on one PostgreSQL", {
  skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set",
}, () => {
  const clock = new ManualClock();
  let a: App;
  let b: App;
  let pair: Awaited<ReturnType<typeof startKeyedPair>> | undefined;

  before(async () => {
    pair = await startKeyedPair(postgres!, clock);
    ({ a, b } = pair);
  });
  after(() => pair?.dispose());

  it("a session made on A reads and writes on B (cookie + CSRF token)", async () => {
    const session = await signIn(a, KEYS.agent.key);
    assert.equal((await read(b, session.cookie)).statusCode, 200);
    const who = await b.app.inject({
      url: "/console/session",
      headers: { cookie: session.cookie },
    });
    assert.equal(who.json().csrfToken, session.csrfToken, "B gives the page the same token");
    const write = (token: string) =>
      b.app.inject({
        method: "POST",
        url: "/api/v1/guard",
        headers: { cookie: session.cookie, "x-csrf-token": token },
        payload: { text: "hello", direction: "inbound", channel: "sms" },
      });
    assert.equal((await write(session.csrfToken)).statusCode, 200);
    assert.equal((await write(`${session.csrfToken.slice(1)}x`)).json().error.code, "MS_CSRF");
  });

  it("a session revoked on A is refused at once on A and B", async () => {
    const session = await signIn(a, KEYS.viewer.key);
    assert.equal((await read(b, session.cookie)).statusCode, 200);
    const revoke = await a.app.inject({
      method: "DELETE",
      url: `/api/v1/console-sessions/${session.id}`,
      headers: auth,
    });
    assert.equal(revoke.statusCode, 204, revoke.body);
    assert.equal((await read(a, session.cookie)).statusCode, 401);
    assert.equal((await read(b, session.cookie)).statusCode, 401);
  });

  it("signing out on B ends the session on A", async () => {
    const session = await signIn(a, KEYS.viewer.key);
    const out = await b.app.inject({
      method: "DELETE",
      url: "/console/session",
      headers: { cookie: session.cookie },
    });
    assert.equal(out.statusCode, 204);
    assert.equal((await read(a, session.cookie)).statusCode, 401);
  });

  it("an expired session is refused on both", async () => {
    const session = await signIn(b, KEYS.admin.key);
    clock.advance(SESSION_TTL_MS - 1);
    assert.equal((await read(a, session.cookie)).statusCode, 200);
    clock.advance(1);
    assert.equal((await read(a, session.cookie)).statusCode, 401);
    assert.equal((await read(b, session.cookie)).statusCode, 401);
  });
});
