import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { monitoringFixtures } from "../monitoring/rollup-fixtures.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import { auth, eventually, startTestApp, type TestApp } from "../support/test-app.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0);
const SECRET = "alert-webhook-secret-0123";

describe("incidents API", () => {
  let app: TestApp;
  let hook: Awaited<ReturnType<typeof startCallbackServer>>;
  const clock = new ManualClock(T0);

  before(async () => {
    hook = await startCallbackServer();
    app = await startTestApp({
      clock,
      extraYaml: `alerts:
  destinations:
    - { name: ops, type: webhook, url: "${hook.url}", secret: ${SECRET} }
  rules:
    - { name: errors, metric: error_rate, window: 5m, groupBy: [version], condition: { above: 0.5 }, minSample: 5 }
`,
    });
  });
  after(async () => {
    await app.dispose();
    await hook.close();
  });

  const call = async (method: "GET" | "POST", url: string, payload?: unknown) => {
    const response = await app.app.inject({
      method,
      url,
      headers: auth,
      payload: payload as object,
    });
    return { status: response.statusCode, body: response.json() };
  };

  it("opens, notes, acknowledges and resolves an incident by hand", async () => {
    const opened = await call("POST", "/api/v1/incidents", {
      title: "Customers report missing SMS",
      severity: "critical",
      description: "Three tickets since 9:00",
    });
    assert.equal(opened.status, 201);
    const id = opened.body.id as string;
    assert.deepEqual(
      [opened.body.status, opened.body.source, opened.body.severity, opened.body.data],
      ["open", "manual", "critical", { description: "Three tickets since 9:00" }],
    );
    assert.deepEqual(
      opened.body.timeline.map((e: { type: string; actor: string }) => [e.type, e.actor]),
      [["incident.opened", "admin"]],
    );

    assert.equal(
      (await call("POST", `/api/v1/incidents/${id}/notes`, { text: "Carrier confirms an outage" }))
        .status,
      201,
    );
    const acked = await call("POST", `/api/v1/incidents/${id}/acknowledge`);
    assert.deepEqual(
      [acked.status, acked.body.status, acked.body.acknowledgedBy],
      [200, "acknowledged", "admin"],
    );
    const resolved = await call("POST", `/api/v1/incidents/${id}/resolve`, {
      note: "Carrier recovered",
    });
    assert.equal(resolved.body.status, "resolved");
    assert.equal(resolved.body.resolvedAt, new Date(T0).toISOString());
    assert.deepEqual(
      resolved.body.timeline.map((e: { type: string; data: unknown }) => [e.type, e.data]),
      [
        [
          "incident.opened",
          {
            title: "Customers report missing SMS",
            severity: "critical",
            source: "manual",
            description: "Three tickets since 9:00",
          },
        ],
        ["note", { text: "Carrier confirms an outage" }],
        ["incident.acknowledged", {}],
        ["incident.resolved", { note: "Carrier recovered" }],
      ],
    );

    const audit = await call("GET", `/api/v1/audit?target=${id}`);
    assert.deepEqual(
      audit.body.data.map((e: { action: string; actor: string }) => [e.action, e.actor]).reverse(),
      [
        ["incident.open", "admin"],
        ["incident.note", "admin"],
        ["incident.acknowledge", "admin"],
        ["incident.resolve", "admin"],
      ],
    );
    const blank = await call("POST", `/api/v1/incidents/${id}/notes`, { text: "  " });
    assert.deepEqual([blank.status, blank.body.error.code], [400, "MS_BAD_REQUEST"]);

    const conflict = await call("POST", `/api/v1/incidents/${id}/acknowledge`);
    assert.deepEqual([conflict.status, conflict.body.error.code], [409, "MS_INCIDENT_RESOLVED"]);
    const missing = await call("GET", "/api/v1/incidents/inc_nope");
    assert.deepEqual([missing.status, missing.body.error.code], [404, "MS_NOT_FOUND"]);
    const bad = await call("POST", "/api/v1/incidents", { title: "", severity: "meh" });
    assert.deepEqual([bad.status, bad.body.error.code], [400, "MS_BAD_REQUEST"]);
  });

  it("lists newest first, by status, a page at a time", async () => {
    for (const title of ["first", "second", "third"]) {
      clock.advance(1);
      await call("POST", "/api/v1/incidents", { title });
    }
    const page = await call("GET", "/api/v1/incidents?status=open&limit=2");
    assert.deepEqual(
      page.body.data.map((i: { title: string }) => i.title),
      ["third", "second"],
    );
    const rest = await call(
      "GET",
      `/api/v1/incidents?status=open&limit=2&cursor=${page.body.nextCursor}`,
    );
    assert.deepEqual(
      rest.body.data.map((i: { title: string }) => i.title),
      ["first"],
    );
    assert.equal(rest.body.nextCursor, null);
    const resolved = await call("GET", "/api/v1/incidents?status=resolved");
    assert.deepEqual(
      resolved.body.data.map((i: { title: string }) => i.title),
      ["Customers report missing SMS"],
    );
  });

  it("opens an incident from a firing alert and sends the signed notification", async () => {
    // Earlier tests left open incidents; the alert should open its own.
    for (const incident of (await call("GET", "/api/v1/incidents?status=open")).body.data) {
      await call("POST", `/api/v1/incidents/${incident.id}/resolve`);
    }
    const fx = monitoringFixtures(app.store);
    const conversation = await fx.conversation(T0 + 60_000, {
      channel: "api",
      agent: "support",
      version: "1",
    });
    for (let i = 0; i < 6; i++) {
      await fx.turn(conversation, T0 + 61_000 + i, {
        agent: "support",
        version: "1",
        error: "timeout",
      });
    }
    clock.set(T0 + 5 * 60_000 + 15_000);
    let round = await app.monitor.tick();
    while (!round.evaluated) round = await app.monitor.tick();
    const fired = round.transitions.filter((t) => t.rule === "errors");
    assert.equal(fired.length, 1);

    // The notify job runs after the grouping wait, on the app's own worker.
    clock.advance(10_000);
    const received = await eventually(async () => hook.received[0], "the alert notification");
    const signature = `sha256=${createHmac("sha256", SECRET).update(received.body).digest("hex")}`;
    assert.equal(received.headers["x-mainstay-signature"], signature);
    const body = JSON.parse(received.body);
    assert.equal(body.items[0].title, "errors firing (agent=support version=1)");
    assert.equal(body.items[0].incidentId, fired[0]!.incidentId);

    const incident = await call("GET", `/api/v1/incidents/${fired[0]!.incidentId}`);
    assert.deepEqual([incident.body.status, incident.body.source], ["open", "alert"]);
    assert.deepEqual(
      incident.body.timeline.map((e: { type: string }) => e.type),
      ["incident.opened", "alert.fired"],
    );
  });
});
