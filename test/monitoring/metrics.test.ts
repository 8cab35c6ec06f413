import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it, type TestContext } from "node:test";
import pino from "pino";
import { withCircuitBreaker } from "../../src/agents/middleware/index.ts";
import { type Channel, ChannelSendError } from "../../src/channels/index.ts";
import {
  boundedLabel,
  createMetrics,
  type MainstayMetrics,
  meterProvider,
  meterSends,
} from "../../src/monitoring/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { overloaded, request, scriptedProvider } from "../agents/middleware/scripted-provider.ts";
import { backends } from "../support/backends.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import {
  eventually,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

/**
 * Prometheus' own parser and linter (Debian's `prometheus` package, installed by .ci/run):
 * the exposition must parse and pass every lint (names, suffixes, help, types). Skipped
 * where promtool is missing, except under CI, where a missing parser fails the test.
 */
function promtoolCheck(t: TestContext, exposition: string): boolean {
  const run = spawnSync("promtool", ["check", "metrics"], { input: exposition, encoding: "utf8" });
  if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    if (process.env["CI"]) assert.fail("promtool is not installed: .ci/run installs `prometheus`");
    t.skip("promtool not installed (apt-get install prometheus)");
    return false;
  }
  assert.equal(`${run.stdout}${run.stderr}`, "", "promtool found problems");
  assert.equal(run.status, 0);
  return true;
}

/** The value of the one series `name{labels}`, exactly as exposed. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const silent = pino({ level: "silent" });

function standaloneMetrics(overrides: Partial<Parameters<typeof createMetrics>[0]> = {}) {
  return createMetrics({
    queueStats: async () => [],
    clock: new ManualClock(),
    logger: silent,
    ...overrides,
  });
}

for (const backend of backends) {
  describe(`GET /metrics after real traffic: ${backend.name}`, () => {
    let app: TestApp;
    let callback: Awaited<ReturnType<typeof startCallbackServer>>;
    let cleanup: () => Promise<void>;
    let exposition: string;

    before(async () => {
      // The first reply is refused for good with a vendor code; later ones are taken.
      callback = await startCallbackServer((_req, res) => {
        if (callback.received.length === 1) {
          res.writeHead(400, { "content-type": "application/json" });
          res.end('{"code":"21211","message":"invalid To"}');
        } else res.end("ok");
      });
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startTestApp({ callbackUrl: callback.url, store: created.options });
      const canada = { id: "m-1", from: "+15550001", text: "Do you ship to Canada?" };
      const email = { id: "m-2", from: "+15550002", text: "mail me at jane@example.com" };
      // The second copy of m-1 is a vendor's retry: stored once.
      for (const body of [canada, email, canada]) {
        assert.equal((await app.app.inject(signedWebhook(body))).statusCode, 202);
      }
      const forged = signedWebhook(
        { id: "m-3", from: "+15550003", text: "hi" },
        "wrong-secret-0123456789",
      );
      assert.equal((await app.app.inject(forged)).statusCode, 401);
      await eventually(async () => (callback.received.length >= 2 ? true : undefined), "two sends");
      await queueDrained(app.store);
      const res = await app.app.inject({ url: "/metrics" });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
      exposition = res.body;
    });
    after(async () => {
      await app?.dispose();
      await callback?.close();
      await cleanup?.();
    });

    it("is valid Prometheus text, as promtool parses and lints it", (t) => {
      promtoolCheck(t, exposition);
    });

    it("counts messages in by status and refused webhook calls by error code", () => {
      const api = 'channel="api",channel_type="generic"';
      assert.equal(
        sample(exposition, `mainstay_messages_received_total{${api},status="accepted"}`),
        2,
      );
      assert.equal(
        sample(exposition, `mainstay_messages_received_total{${api},status="duplicate"}`),
        1,
      );
      assert.equal(
        sample(exposition, `mainstay_intake_errors_total{${api},code="MS_SIGNATURE_INVALID"}`),
        1,
      );
    });

    it("counts sends by outcome, failures by vendor code, and times them", () => {
      const api = 'channel="api",channel_type="generic"';
      assert.equal(
        sample(exposition, `mainstay_delivery_attempts_total{${api},outcome="sent"}`),
        1,
      );
      assert.equal(
        sample(exposition, `mainstay_delivery_attempts_total{${api},outcome="permanent_error"}`),
        1,
      );
      assert.equal(sample(exposition, `mainstay_delivery_failures_total{${api},code="21211"}`), 1);
      assert.equal(sample(exposition, `mainstay_delivery_duration_seconds_count{${api}}`), 2);
      assert.equal(sample(exposition, `mainstay_delivery_latency_seconds_count{${api}}`), 1);
    });

    it("counts jobs by outcome and shows the dead letter in the queue gauge", () => {
      assert.equal(
        sample(exposition, 'mainstay_jobs_total{kind="conversation.process",outcome="done"}'),
        2,
      );
      assert.equal(
        sample(exposition, 'mainstay_jobs_total{kind="message.deliver",outcome="done"}'),
        1,
      );
      assert.equal(
        sample(exposition, 'mainstay_jobs_total{kind="message.deliver",outcome="dead"}'),
        1,
      );
      assert.equal(
        sample(exposition, 'mainstay_queue_jobs{kind="message.deliver",state="dead"}'),
        1,
      );
      // Nothing is due any more, so no queue age series.
      assert.doesNotMatch(exposition, /^mainstay_queue_oldest_job_age_seconds\{/m);
    });

    it("counts guardrail decisions and findings by type and action, and times them", () => {
      assert.equal(
        sample(
          exposition,
          'mainstay_guardrail_findings_total{direction="inbound",type="pii.email",action="redact"}',
        ),
        1,
      );
      assert.equal(
        sample(
          exposition,
          'mainstay_guardrail_decisions_total{direction="inbound",action="redact"}',
        ),
        1,
      );
      assert.ok(
        (sample(
          exposition,
          'mainstay_guardrail_evaluation_duration_seconds_count{direction="outbound"}',
        ) ?? 0) >= 2,
      );
    });

    it("includes process metrics and never a conversation id, an address or message text", () => {
      assert.match(exposition, /^process_cpu_user_seconds_total /m);
      assert.match(exposition, /^nodejs_eventloop_lag_seconds /m);
      for (const secret of ["conv_", "msg_", "+1555", "Canada", "jane@example.com"]) {
        assert.ok(!exposition.includes(secret), `exposition contains ${secret}`);
      }
    });
  });
}

describe("GET /metrics behind telemetry.metrics.token", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      extraYaml: "telemetry: { metrics: { token: scrape-secret-0123456789 } }",
    });
  });
  after(() => app?.dispose());

  it("answers 401 without the bearer token and the exposition with it", async () => {
    assert.equal((await app.app.inject({ url: "/metrics" })).statusCode, 401);
    const wrong = { authorization: "Bearer not-the-token-0123456789" };
    assert.equal((await app.app.inject({ url: "/metrics", headers: wrong })).statusCode, 401);
    const right = { authorization: "Bearer scrape-secret-0123456789" };
    const res = await app.app.inject({ url: "/metrics", headers: right });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^# TYPE mainstay_messages_received_total counter$/m);
  });
});

describe("metrics read at scrape time", () => {
  it("queue depth by state and the oldest due job's age, from the queue's stats", async (t) => {
    const clock = new ManualClock(1_000_000);
    const metrics = standaloneMetrics({
      clock,
      queueStats: async (now) => [
        { kind: "conversation.process", state: "due", count: 3, oldestRunAt: now - 42_000 },
        { kind: "message.deliver", state: "scheduled", count: 2, oldestRunAt: now + 5_000 },
        { kind: "message.deliver", state: "dead", count: 1, oldestRunAt: now - 1 },
      ],
    });
    const text = await metrics.render();
    assert.equal(sample(text, 'mainstay_queue_jobs{kind="conversation.process",state="due"}'), 3);
    assert.equal(sample(text, 'mainstay_queue_jobs{kind="message.deliver",state="scheduled"}'), 2);
    assert.equal(sample(text, 'mainstay_queue_jobs{kind="message.deliver",state="dead"}'), 1);
    assert.equal(
      sample(text, 'mainstay_queue_oldest_job_age_seconds{kind="conversation.process"}'),
      42,
    );
    assert.equal(
      sample(text, 'mainstay_queue_oldest_job_age_seconds{kind="message.deliver"}'),
      undefined,
    );
    promtoolCheck(t, text);
  });

  it("a failing queue read leaves the queue series out instead of failing the scrape", async () => {
    const metrics = standaloneMetrics({
      queueStats: async () => {
        throw new Error("database gone");
      },
    });
    const text = await metrics.render();
    assert.doesNotMatch(text, /^mainstay_queue_jobs\{/m);
    assert.match(text, /^# TYPE mainstay_queue_jobs gauge$/m);
  });

  it("live rollouts' steps and shares from the callback, only while they are live", async () => {
    let live = [{ agent: "support", rollout: "ro_1", step: 2, share: 0.25 }];
    const metrics = standaloneMetrics({ rolloutSteps: async () => live });
    let text = await metrics.render();
    assert.equal(sample(text, 'mainstay_rollout_step{agent="support",rollout="ro_1"}'), 2);
    assert.equal(
      sample(text, 'mainstay_rollout_candidate_share{agent="support",rollout="ro_1"}'),
      0.25,
    );
    live = [];
    text = await metrics.render();
    assert.doesNotMatch(text, /^mainstay_rollout_step\{/m);
  });

  it("circuit breaker state as one 1 among closed, half_open and open", async () => {
    const clock = new ManualClock();
    const breaker = withCircuitBreaker(scriptedProvider("openai", [{ error: overloaded() }]), {
      clock,
      failureThreshold: 1,
      cooldownMs: 1000,
    });
    const metrics = standaloneMetrics({ clock });
    const labels = { agent: "support", version: "v1", provider: "openai", model: "gpt-test" };
    metrics.watchBreaker({ labels, state: () => breaker.state() });
    const state = async (s: string) =>
      sample(
        await metrics.render(),
        `mainstay_llm_circuit_breaker_state{agent="support",version="v1",provider="openai",model="gpt-test",state="${s}"}`,
      );
    assert.equal(await state("closed"), 1);
    await assert.rejects(breaker.chat(request()));
    assert.equal(await state("open"), 1);
    assert.equal(await state("closed"), 0);
    clock.advance(1000);
    assert.equal(await state("half_open"), 1);
  });
});

describe("metrics recorded at the seams", () => {
  let metrics: MainstayMetrics;
  before(() => {
    metrics = standaloneMetrics();
  });

  it("LLM calls: duration and status, tokens and priced cost by provider and requested model", async () => {
    const provider = meterProvider(
      scriptedProvider("openai", [{ reply: "hi" }, { error: overloaded() }]),
      metrics,
      (usage, provider, model) =>
        provider === "openai" && model === "openai-model" ? usage.outputTokens * 0.001 : null,
    );
    await provider.chat(request());
    await assert.rejects(provider.chat(request()));
    const text = await metrics.render();
    const labels = 'provider="openai",model="m"';
    assert.equal(sample(text, `mainstay_llm_calls_total{${labels},status="ok"}`), 1);
    assert.equal(sample(text, `mainstay_llm_calls_total{${labels},status="http_429"}`), 1);
    assert.equal(sample(text, `mainstay_llm_tokens_total{${labels},type="input"}`), 3);
    assert.equal(sample(text, `mainstay_llm_tokens_total{${labels},type="output"}`), 5);
    assert.equal(sample(text, `mainstay_llm_cost_usd_total{${labels}}`), 0.005);
    assert.equal(sample(text, `mainstay_llm_call_duration_seconds_count{${labels}}`), 2);
  });

  it("a streamed call is counted once, with the final response's tokens", async () => {
    const provider = meterProvider(
      scriptedProvider("anthropic", [{ chunks: ["a", "b"] }]),
      metrics,
      () => null,
    );
    const chunks = [];
    for await (const chunk of provider.stream!(request())) chunks.push(chunk);
    assert.equal(chunks.length, 3);
    const text = await metrics.render();
    assert.equal(
      sample(text, 'mainstay_llm_calls_total{provider="anthropic",model="m",status="ok"}'),
      1,
    );
    assert.equal(
      sample(text, 'mainstay_llm_tokens_total{provider="anthropic",model="m",type="output"}'),
      5,
    );
  });

  it("vendor error codes past the cap count as other", async () => {
    let code = 0;
    const failing: Channel = {
      id: "sms",
      type: "twilio",
      async send() {
        throw new ChannelSendError("refused", false, { vendorCode: String(++code) });
      },
    };
    const sends = meterSends(new Map([["sms", failing]]), metrics, new ManualClock());
    const message = {
      id: "msg_1",
      conversationId: "conv_1",
      to: "+15550001",
      text: "hello",
      attachments: [],
      createdAt: 0,
      meta: {},
      inReplyTo: null,
      inReplyToMeta: {},
    };
    for (let i = 0; i < 60; i++) {
      await assert.rejects(sends.get("sms")!.send(message, AbortSignal.timeout(1000)));
    }
    const text = await metrics.render();
    const labels = 'channel="sms",channel_type="twilio"';
    assert.equal(sample(text, `mainstay_delivery_failures_total{${labels},code="1"}`), 1);
    assert.equal(sample(text, `mainstay_delivery_failures_total{${labels},code="other"}`), 10);
    assert.equal(
      sample(text, `mainstay_delivery_attempts_total{${labels},outcome="permanent_error"}`),
      60,
    );
  });

  it("handoff reasons: Mainstay's own and policy rules kept, an agent's own words never", async () => {
    metrics.handoff("negative_sentiment");
    metrics.handoff("guardrail:commitment-escalate");
    metrics.handoff("The customer wants to cancel order 12345 and is angry");
    const text = await metrics.render();
    assert.equal(sample(text, 'mainstay_handoffs_total{reason="negative_sentiment"}'), 1);
    assert.equal(
      sample(text, 'mainstay_handoffs_total{reason="guardrail:commitment-escalate"}'),
      1,
    );
    assert.equal(sample(text, 'mainstay_handoffs_total{reason="agent_requested"}'), 1);
    assert.ok(!text.includes("12345"));
  });

  it("CSAT scores by agent, version and channel", async () => {
    metrics.observeCsat({ agent: "support", version: "v1", channel: "webchat" }, 4);
    metrics.observeCsat({ agent: "support", version: "v1", channel: "webchat" }, 2);
    const text = await metrics.render();
    const labels = 'agent="support",version="v1",channel="webchat"';
    assert.equal(sample(text, `mainstay_csat_score_count{${labels}}`), 2);
    assert.equal(sample(text, `mainstay_csat_score_sum{${labels}}`), 6);
    assert.equal(sample(text, `mainstay_csat_score_bucket{le="3",${labels}}`), 1);
  });

  it("the whole exposition of these recorders passes promtool", async (t) => {
    promtoolCheck(t, await metrics.render());
  });
});

describe("boundedLabel", () => {
  it("keeps the first values up to the cap and maps every later one to other", () => {
    const label = boundedLabel(2);
    assert.deepEqual(["a", "b", "c", "a", "d", "b"].map(label), [
      "a",
      "b",
      "other",
      "a",
      "other",
      "b",
    ]);
  });
});
