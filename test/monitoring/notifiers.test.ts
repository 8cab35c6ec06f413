import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import {
  createNotifier,
  type Digest,
  destinationSchema,
  type NotificationItem,
  slackPayload,
} from "../../src/monitoring/index.ts";
import { backends } from "../support/backends.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import {
  type AlertHarness,
  MINUTE,
  openAlertHarness,
  pendingNotifyJobs,
  T0,
} from "./alerts-harness.ts";

const SECRET = "alert-webhook-secret-0123";

const item = (overrides: Partial<NotificationItem> = {}): NotificationItem => ({
  type: "alert.firing",
  severity: "critical",
  title: "delivery_failure_rate firing (channel=sms)",
  text: "Replies are failing <fast> & often.\ndelivery_failure_rate is 34% over the last 10m.",
  labels: { channel: "sms" },
  incidentId: "inc_1",
  at: T0,
  data: { rule: "delivery_failure_rate", value: 0.34 },
  ...overrides,
});

const digest = (items: NotificationItem[], more = 0): Digest => ({ id: "ops-1-2", items, more });

const notifierFor = (config: Record<string, unknown>) =>
  createNotifier(destinationSchema.parse({ name: "dest", ...config }));

const never = () => new AbortController().signal;

describe("webhook notifier", () => {
  let server: Awaited<ReturnType<typeof startCallbackServer>>;
  before(async () => {
    server = await startCallbackServer();
  });
  after(() => server.close());

  it("posts the digest signed like the generic channel", async () => {
    const { url, received } = server;
    const notifier = notifierFor({ type: "webhook", url, secret: SECRET });
    await notifier.send(
      digest([item(), item({ type: "alert.resolved", severity: "warning" })]),
      never(),
    );
    const { headers, body } = received.at(-1)!;
    // Checked the way a receiver would: HMAC-SHA256 of the raw body with the shared secret.
    const expected = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    assert.equal(headers["x-mainstay-signature"], expected);
    assert.equal(headers["idempotency-key"], "ops-1-2");
    const parsed = JSON.parse(body);
    assert.equal(parsed.type, "mainstay.notifications");
    assert.equal(parsed.summary, "1 firing, 1 resolved");
    assert.equal(parsed.items[0].at, new Date(T0).toISOString());
    assert.deepEqual(parsed.items[0].labels, { channel: "sms" });
  });

  it("fails on an answer other than 2xx, so the job retries", async () => {
    const failing = await startCallbackServer((_r, res) => {
      res.statusCode = 503;
      res.end();
    });
    try {
      const notifier = notifierFor({ type: "webhook", url: failing.url, secret: SECRET });
      await assert.rejects(notifier.send(digest([item()]), never()), /HTTP 503/);
    } finally {
      await failing.close();
    }
  });
});

describe("Slack notifier", () => {
  it("sends an incoming-webhook message: header, a section per item, escaped", async () => {
    const server = await startCallbackServer();
    try {
      await notifierFor({ type: "slack", url: server.url }).send(digest([item()]), never());
      const payload = JSON.parse(server.received.at(-1)!.body);
      assert.equal(payload.text, "Mainstay: 1 firing");
      assert.deepEqual(payload.blocks[0], {
        type: "header",
        text: { type: "plain_text", text: "Mainstay: 1 firing" },
      });
      assert.equal(payload.blocks[1].type, "section");
      assert.equal(payload.blocks[1].text.type, "mrkdwn");
      assert.match(payload.blocks[1].text.text, /^:red_circle: \*delivery_failure_rate firing/);
      assert.match(payload.blocks[1].text.text, /failing &lt;fast&gt; &amp; often/);
      assert.match(payload.blocks[1].text.text, /Incident `inc_1`/);
    } finally {
      await server.close();
    }
  });

  it("lists at most 20 items of a storm and counts the rest", () => {
    const items = Array.from({ length: 30 }, (_, i) => item({ title: `rule ${i}` }));
    const payload = slackPayload(digest(items, 70));
    assert.equal(payload.blocks.length, 1 + 20 + 1);
    assert.deepEqual(payload.blocks.at(-1), {
      type: "context",
      elements: [{ type: "mrkdwn", text: "…and 80 more" }],
    });
    assert.equal(payload.text, "Mainstay: 30 firing, 70 more");
  });
});

describe("email notifier", () => {
  const delivered: { raw: string; rcptTo: string[] }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        delivered.push({
          raw: Buffer.concat(chunks).toString("utf8"),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  before(() => new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve)));
  after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  it("mails the digest over SMTP, most severe item in the subject", async () => {
    const port = (smtp.server.address() as AddressInfo).port;
    const notifier = notifierFor({
      type: "email",
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: "Mainstay <alerts@example.com>",
      to: ["oncall@example.com", "lead@example.com"],
    });
    await notifier.send(
      digest([item({ severity: "warning", title: "csat_drop firing" }), item()]),
      never(),
    );
    const { raw, rcptTo } = delivered.at(-1)!;
    assert.deepEqual(rcptTo, ["oncall@example.com", "lead@example.com"]);
    const mail = await simpleParser(raw);
    assert.equal(mail.subject, "[Mainstay] delivery_failure_rate firing (channel=sms) (+1 more)");
    assert.equal(mail.messageId, "<ops-1-2@example.com>");
    assert.match(mail.text ?? "", /^2 firing/);
    assert.match(
      mail.text ?? "",
      /CRITICAL: delivery_failure_rate firing \(channel=sms\)\nReplies are failing/,
    );
    assert.match(mail.text ?? "", /Incident: inc_1/);
  });
});

describe("alert.notify job", () => {
  let h: AlertHarness | undefined;
  afterEach(() => h?.close());

  it("retries a destination that is down, then frees it", async () => {
    let answer = 500;
    const server = await startCallbackServer((_r, res) => {
      res.statusCode = answer;
      res.end();
    });
    try {
      const destination = { name: "ops", type: "webhook", url: server.url, secret: SECRET };
      h = await openAlertHarness(backends[0]!, {
        alerts: { destinations: [destination] },
        only: [],
        notifiers: new Map([["ops", createNotifier(destinationSchema.parse(destination))]]),
      });
      await h.store.transaction((tx) => h!.outbox.add(tx, item(), T0));
      h.clock.set(T0 + 10_000);
      assert.equal(await h.worker.runOnce(), 1);
      assert.equal(server.received.length, 1);
      const [retry] = await pendingNotifyJobs(h.store);
      assert.ok(retry && retry.status === "ready" && retry.run_at > T0 + 10_000);
      assert.equal(await h.store.alertStates.countUnsent("ops"), 1);

      answer = 200;
      h.clock.set(retry.run_at);
      assert.equal(await h.worker.runOnce(), 1);
      assert.equal(server.received.length, 2);
      assert.equal(await h.store.alertStates.countUnsent("ops"), 0);
      assert.deepEqual(await pendingNotifyJobs(h.store), []);
      // Free again: the next item is scheduled after the minimum interval (5 minutes).
      await h.store.transaction((tx) => h!.outbox.add(tx, item(), retry.run_at + MINUTE));
      const [next] = await pendingNotifyJobs(h.store);
      assert.equal(next?.run_at, retry.run_at + 5 * MINUTE);
    } finally {
      await server.close();
    }
  });
});
