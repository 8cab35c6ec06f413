import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { parseConfigText } from "../../src/config/index.ts";
import { createLogger } from "../../src/monitoring/index.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import {
  eventually,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
  testConfigYaml,
} from "../support/test-app.ts";

type Line = Record<string, unknown> & { msg: string };

/** A destination that keeps every JSON line pino writes. */
function capture() {
  const lines: Line[] = [];
  return { lines, stream: { write: (s: string) => void lines.push(JSON.parse(s)) } };
}

const QUESTION = "Can I return my phone? My number is +15558880001";

describe("log lines while a message is handled", () => {
  const exporter = new InMemorySpanExporter();
  const { lines, stream } = capture();
  // `trace`: every line any part writes, for the audit below.
  const logger = createLogger({ level: "trace", includeContent: false }, {}, stream);
  let app: TestApp;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let conversationId: string;

  before(async () => {
    // The first send fails with a 500, so the worker logs a retry, then it goes through.
    callback = await startCallbackServer((_req, res) => {
      res.statusCode = callback.received.length === 1 ? 500 : 200;
      res.end();
    });
    app = await startTestApp({
      callbackUrl: callback.url,
      traceExporter: exporter,
      logger,
    });
    const res = await app.app.inject(
      signedWebhook({ id: "l-1", from: "+15558880001", text: QUESTION }),
    );
    conversationId = res.json().conversationId;
    await eventually(async () => (callback.received.length >= 2 ? true : undefined), "the resend");
    await queueDrained(app.store);
  });
  after(async () => {
    await app?.dispose();
    await callback?.close();
  });

  it("carry the conversation id and the trace and span ids of the job", () => {
    const retry = lines.find((l) => l.msg === "job failed, will retry");
    assert.ok(retry, "the worker logged the retry");
    assert.equal(retry["kind"], "message.deliver");
    assert.equal(retry["conversationId"], conversationId);
    const span = exporter
      .getFinishedSpans()
      .find(
        (s) =>
          s.name === "process message.deliver" &&
          s.attributes["mainstay.job.outcome"] === "retrying",
      );
    assert.ok(span, "the failed delivery has its span");
    assert.equal(retry["trace_id"], span.spanContext().traceId);
    assert.equal(retry["span_id"], span.spanContext().spanId);
  });

  it("never hold what the customer wrote or their number", () => {
    assert.ok(lines.length > 0);
    const all = JSON.stringify(lines);
    for (const secret of ["return my phone", "+15558880001", "5558880001"]) {
      assert.ok(!all.includes(secret), `a log line holds "${secret}"`);
    }
  });

  it("carry no conversation id outside a message's handling", () => {
    logger.info("unrelated");
    const line = lines.at(-1)!;
    assert.equal(line.msg, "unrelated");
    assert.equal(line["conversationId"], undefined);
    assert.equal(line["trace_id"], undefined);
  });
});

describe("createLogger", () => {
  const pgError = () =>
    Object.assign(new Error('duplicate key value violates unique constraint "identities"'), {
      detail: "Key (channel_type, address)=(sms, +15550001) already exists.",
    });

  it("redacts text, addresses and database error details unless content is included", () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: "info", includeContent: false }, {}, stream);
    logger.info({ text: "my card is 4111", to: "+15550001", err: pgError() }, "stored");
    logger.child({ module: "jobs" }).warn({ message: { from: "+15550002" } }, "nested");
    const [stored, nested] = lines;
    assert.equal(stored!["text"], "[redacted]");
    assert.equal(stored!["to"], "[redacted]");
    const err = stored!["err"] as Record<string, unknown>;
    assert.equal(err["detail"], "[redacted]");
    assert.match(String(err["message"]), /unique constraint/);
    assert.deepEqual(nested!["message"], { from: "[redacted]" });
    assert.equal(nested!["module"], "jobs");
  });

  it("keeps them with telemetry.logs.includeContent", () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: "info", includeContent: true }, {}, stream);
    logger.info({ text: "my card is 4111", err: pgError() }, "stored");
    assert.equal(lines[0]!["text"], "my card is 4111");
    assert.match(String((lines[0]!["err"] as Record<string, unknown>)["detail"]), /\+15550001/);
  });

  it("takes its level from the config, MAINSTAY_LOG_LEVEL first, and refuses an unknown one", () => {
    const loaded = parseConfigText(
      testConfigYaml({ dataDir: "/tmp/unused", extraYaml: "telemetry: { logs: { level: warn } }" }),
      join("/tmp", "mainstay.yaml"),
    );
    const logs = loaded.config.telemetry.logs;
    assert.deepEqual(logs, { level: "warn", includeContent: false });
    assert.equal(createLogger(logs, {}).level, "warn");
    assert.equal(createLogger(logs, { MAINSTAY_LOG_LEVEL: "debug" }).level, "debug");
    assert.throws(() => createLogger(logs, { MAINSTAY_LOG_LEVEL: "loud" }), {
      code: "MS_CONFIG_INVALID",
    });
  });
});
