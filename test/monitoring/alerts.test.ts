import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import pino from "pino";
import { parseConfigText } from "../../src/config/index.ts";
import { alertsConfigSchema, BUILTIN_RULES, Monitor } from "../../src/monitoring/index.ts";
import { backends } from "../support/backends.ts";
import { testConfigYaml } from "../support/test-app.ts";
import {
  type AlertHarness,
  MINUTE,
  openAlertHarness,
  pendingNotifyJobs,
  T0,
} from "./alerts-harness.ts";

const SETTLED = 15_000;
const ops = {
  name: "ops",
  type: "webhook",
  url: "http://127.0.0.1:9/hook",
  secret: "s".repeat(16),
};

const errorRule = {
  name: "errors",
  metric: "error_rate",
  window: "5m",
  groupBy: ["version"],
  condition: { above: 0.5 },
  severity: "critical",
  minSample: 5,
};

async function turns(
  h: AlertHarness,
  at: number,
  n: number,
  turn: { error?: string; version?: string } = {},
) {
  const c = await h.fx.conversation(at, { version: turn.version });
  for (let i = 0; i < n; i++) await h.fx.turn(c, at + i, turn);
}

const timelineOf = async (h: AlertHarness, incidentId: string) =>
  (await h.store.incidents.events(incidentId)).map((e) => e.type);

for (const backend of backends) {
  describe(`alerts: ${backend.name}`, () => {
    let h: AlertHarness | undefined;
    afterEach(() => h?.close());

    it("fires once into an incident, stays quiet while firing, then resolves", async () => {
      h = await openAlertHarness(backend, {
        alerts: { destinations: [ops], rules: [errorRule] },
        only: ["errors"],
      });
      await turns(h, T0 + MINUTE, 10, { error: "provider timeout" });

      const first = await h.tickAt(T0 + 5 * MINUTE + SETTLED);
      assert.equal(first.transitions.length, 1);
      const fired = first.transitions[0]!;
      assert.deepEqual(
        [fired.rule, fired.labels, fired.state],
        ["errors", { agent: "support", version: "v1" }, "firing"],
      );
      const incident = (await h.store.incidents.get(fired.incidentId!))!;
      assert.deepEqual(
        [incident.status, incident.source, incident.severity],
        ["open", "alert", "critical"],
      );
      assert.deepEqual(await timelineOf(h, incident.id), ["incident.opened", "alert.fired"]);
      // One send is scheduled, after the grouping wait.
      const jobs = await pendingNotifyJobs(h.store);
      assert.deepEqual(
        jobs.map((j) => [JSON.parse(j.payload), j.run_at]),
        [[{ destination: "ops" }, T0 + 5 * MINUTE + SETTLED + 10_000]],
      );

      // Still over the threshold a minute later: nothing new.
      assert.deepEqual((await h.tickAt(T0 + 6 * MINUTE + SETTLED)).transitions, []);
      assert.equal(await h.worker.runOnce(), 1);
      assert.equal(h.sent.length, 1);
      const [item] = h.sent[0]!.digest.items;
      assert.equal(item?.type, "alert.firing");
      assert.equal(item?.title, "errors firing (agent=support version=v1)");
      assert.match(item!.text, /error_rate is 100% over the last 5m \(10 observations\)/);
      assert.equal(item?.incidentId, incident.id);

      // The errors stop: the window with only good turns resolves it.
      await turns(h, T0 + 7 * MINUTE, 10);
      const later = await h.tickAt(T0 + 12 * MINUTE + SETTLED);
      assert.deepEqual(
        later.transitions.map((t) => [t.state, t.incidentId]),
        [["resolved", incident.id]],
      );
      assert.deepEqual(await timelineOf(h, incident.id), [
        "incident.opened",
        "alert.fired",
        "alert.resolved",
      ]);
      assert.deepEqual((await h.tickAt(T0 + 13 * MINUTE + SETTLED)).transitions, []);
      h.clock.advance(10_000);
      assert.equal(await h.worker.runOnce(), 1);
      assert.deepEqual(
        h.sent.map((s) => s.digest.items.map((i) => i.type)),
        [["alert.firing"], ["alert.resolved"]],
      );
      // An incident is closed by people, not by the alert resolving.
      assert.equal((await h.store.incidents.get(incident.id))?.status, "open");
    });

    it("turns a storm into one incident and one message per destination and interval", async () => {
      h = await openAlertHarness(backend, {
        alerts: {
          destinations: [ops],
          minIntervalSeconds: 300,
          rules: [
            {
              name: "failing",
              metric: "delivery_failure_rate",
              window: "10m",
              groupBy: ["channel"],
              condition: { above: 0.2 },
              minSample: 5,
            },
          ],
        },
        only: ["failing"],
      });
      const failOn = async (channel: string, at: number) => {
        const c = await h!.fx.conversation(at, { channel });
        await h!.fx.event(c, "message.queued", at, 5);
        await h!.fx.event(c, "message.failed", at + 1_000, 5);
      };
      for (let i = 0; i < 30; i++) await failOn(`ch-${i}`, T0 + MINUTE);
      const storm = await h.tickAt(T0 + 5 * MINUTE + SETTLED);
      assert.equal(storm.transitions.length, 30);
      assert.equal(new Set(storm.transitions.map((t) => t.incidentId)).size, 1);
      h.clock.advance(10_000);
      await h.worker.runOnce();
      assert.equal(h.sent.length, 1);
      assert.equal(h.sent[0]!.digest.items.length, 30);

      // Ten more channels fail two minutes later: they wait for the interval, together.
      for (let i = 30; i < 40; i++) await failOn(`ch-${i}`, T0 + 6 * MINUTE);
      const more = await h.tickAt(T0 + 7 * MINUTE + SETTLED);
      assert.equal(more.transitions.length, 10);
      assert.deepEqual(
        new Set(more.transitions.map((t) => t.incidentId)),
        new Set([storm.transitions[0]!.incidentId]),
      );
      const [next] = await pendingNotifyJobs(h.store);
      assert.equal(next?.run_at, T0 + 5 * MINUTE + SETTLED + 10_000 + 300_000);
      h.clock.advance(10_000);
      assert.equal(await h.worker.runOnce(), 0);
      h.clock.set(next!.run_at);
      assert.equal(await h.worker.runOnce(), 1);
      assert.deepEqual(
        h.sent.map((s) => s.digest.items.length),
        [30, 10],
      );
    });

    it("is notified once when several instances evaluate at the same time", async () => {
      h = await openAlertHarness(backend, {
        alerts: { destinations: [ops], rules: [errorRule] },
        only: ["errors"],
      });
      await h.tickAt(T0 + 30_000);
      await turns(h, T0 + MINUTE, 10, { error: "boom" });
      const other = new Monitor({
        store: h.store,
        clock: h.clock,
        logger: pino({ level: "silent" }),
        rules: h.rules,
        outbox: h.outbox,
      });
      h.clock.set(T0 + 5 * MINUTE + SETTLED);
      const [a, b] = await Promise.all([h.monitor.tick(), other.tick()]);
      assert.equal(a.transitions.length + b.transitions.length, 1);
      assert.equal(await h.store.alertStates.countUnsent("ops"), 1);
      assert.equal((await pendingNotifyJobs(h.store)).length, 1);
    });

    it("compares with the previous window and with the baseline version", async () => {
      h = await openAlertHarness(backend, {
        alerts: {
          rules: [
            {
              name: "handoffs",
              metric: "handoff_rate",
              window: "10m",
              groupBy: ["agent"],
              condition: { against: "previous", increase: 1, above: 0.1 },
              minSample: 5,
            },
            {
              name: "worse-than-baseline",
              metric: "error_rate",
              window: "10m",
              condition: { against: "baseline", increase: 1 },
              minSample: 5,
            },
          ],
        },
        only: ["handoffs", "worse-than-baseline"],
      });
      for (const version of ["v1", "v2"]) {
        await h.store.agentVersions.push(
          { agentId: "support", version, document: "{}", source: "" },
          T0,
        );
      }
      await h.store.agentVersions.activate("support", "v1", T0);
      // Previous window: 1 handoff in 10 conversations. This one: 5 in 10.
      for (let i = 0; i < 10; i++) {
        const before = await h.fx.conversation(T0 + MINUTE + i);
        if (i === 0) await h.fx.event(before, "conversation.handoff", T0 + 2 * MINUTE);
        const now = await h.fx.conversation(T0 + 11 * MINUTE + i);
        if (i < 5) await h.fx.event(now, "conversation.handoff", T0 + 12 * MINUTE);
      }
      // Baseline v1 errs on 1 turn in 10, candidate v2 on 5 in 10.
      await turns(h, T0 + 12 * MINUTE, 9, { version: "v1" });
      await turns(h, T0 + 12 * MINUTE, 1, { version: "v1", error: "x" });
      await turns(h, T0 + 12 * MINUTE, 5, { version: "v2" });
      await turns(h, T0 + 12 * MINUTE, 5, { version: "v2", error: "x" });

      const { transitions } = await h.tickAt(T0 + 20 * MINUTE + SETTLED);
      assert.deepEqual(transitions.map((t) => [t.rule, t.labels]).sort(), [
        ["handoffs", { agent: "support" }],
        ["worse-than-baseline", { agent: "support", version: "v2" }],
      ]);
      const state = await h.store.alertStates.get(
        "worse-than-baseline",
        '{"agent":"support","version":"v2"}',
      );
      assert.deepEqual([state?.value, state?.reference], [0.5, 0.1]);
    });

    it("holds on too small a sample, resolves when traffic stops or the rule goes", async () => {
      h = await openAlertHarness(backend, {
        alerts: { rules: [errorRule] },
        only: ["errors"],
      });
      await turns(h, T0 + MINUTE, 3, { error: "x" });
      assert.deepEqual((await h.tickAt(T0 + 2 * MINUTE + SETTLED)).transitions, []);
      await turns(h, T0 + 2 * MINUTE, 3, { error: "x" });
      const fired = await h.tickAt(T0 + 3 * MINUTE + SETTLED);
      assert.equal(fired.transitions[0]?.state, "firing");
      // The 5m window still holds the errors a few minutes on: it keeps firing. Once the
      // window is empty (traffic stopped), it resolves.
      assert.deepEqual((await h.tickAt(T0 + 6 * MINUTE + SETTLED)).transitions, []);
      const quiet = await h.tickAt(T0 + 9 * MINUTE + SETTLED);
      assert.deepEqual(
        quiet.transitions.map((t) => t.state),
        ["resolved"],
      );

      await turns(h, T0 + 9 * MINUTE, 6, { error: "x" });
      assert.equal((await h.tickAt(T0 + 10 * MINUTE + SETTLED)).transitions[0]?.state, "firing");
      const withoutRule = new Monitor({
        store: h.store,
        clock: h.clock,
        logger: pino({ level: "silent" }),
        rules: [],
        outbox: h.outbox,
      });
      const removed = await withoutRule.tick();
      assert.deepEqual(
        removed.transitions.map((t) => [t.rule, t.state]),
        [["errors", "resolved"]],
      );
    });

    it("reads the job queue for queue age and dead letters", async () => {
      h = await openAlertHarness(backend, { alerts: {}, only: ["queue_age", "dead_letters"] });
      const now = T0 + 30 * MINUTE + SETTLED;
      await h.fx.job("ready", now - 10 * MINUTE, now - 10 * MINUTE);
      await h.fx.job("dead", now - 20 * MINUTE, now - MINUTE);
      const { transitions } = await h.tickAt(now);
      assert.deepEqual(transitions.map((t) => [t.rule, t.labels, t.state]).sort(), [
        ["dead_letters", {}, "firing"],
        ["queue_age", {}, "firing"],
      ]);
      const incident = (await h.store.incidents.get(transitions[0]!.incidentId!))!;
      // The built-in queue age rule is critical, so the shared incident is too.
      assert.equal(incident.severity, "critical");
    });
  });
}

describe("alert rules in the config", () => {
  it("turns the built-in rules on, each changeable or disabled by name", () => {
    const defaults = alertsConfigSchema.parse({});
    assert.deepEqual(
      defaults.rules.map((r) => r.name),
      BUILTIN_RULES.map((r) => r.name),
    );
    assert.deepEqual(defaults.destinations, []);
    assert.equal(defaults.minIntervalMs, 300_000);

    const changed = alertsConfigSchema.parse({
      rules: [
        { name: "csat_drop", enabled: false },
        { name: "delivery_failure_rate", condition: { above: 0.05 }, window: "30m" },
        errorRule,
      ],
    });
    assert.equal(
      changed.rules.find((r) => r.name === "csat_drop"),
      undefined,
    );
    const delivery = changed.rules.find((r) => r.name === "delivery_failure_rate")!;
    assert.deepEqual(
      [delivery.condition, delivery.window, delivery.groupBy, delivery.severity],
      [{ above: 0.05 }, 30 * MINUTE, ["channel"], "critical"],
    );
    assert.equal(changed.rules.at(-1)?.name, "errors");
  });

  it("names the field of every problem", () => {
    const yaml = testConfigYaml({
      dataDir: "/tmp/unused",
      extraYaml: `alerts:
  destinations:
    - { name: ops, type: slack, url: "https://hooks.slack.com/services/x" }
    - { name: ops, type: email, smtpUrl: "smtp://mail:25", from: a@example.com, to: [b@example.com] }
  rules:
    - { name: mine, metric: nope, window: 5m, condition: { above: 1 } }
    - { name: rising, metric: turns, window: 90s, condition: { increase: 1 } }
    - { name: queue_age, groupBy: [channel] }
    - { name: routed, metric: turns, window: 5m, condition: { above: 1 }, destinations: [pager] }
`,
    });
    assert.throws(
      () => parseConfigText(yaml, "/tmp/mainstay.yaml"),
      (e: Error) => {
        for (const expected of [
          /alerts\.destinations\[1\]\.name: duplicate destination name "ops"/,
          /alerts\.rules\[0\]\.metric/,
          /alerts\.rules\[1\]\.window: a number of minutes or hours/,
          /alerts\.rules\[1\]\.condition\.against: increase and decrease need against/,
          /alerts\.rules\[2\]\.metric: queue_age_seconds is read from the job queue now/,
          /alerts\.rules\[3\]\.destinations: no destination named "pager"/,
        ]) {
          assert.match(e.message, expected);
        }
        return true;
      },
    );
  });
});
