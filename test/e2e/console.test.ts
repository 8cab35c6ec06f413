import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import WebSocket from "ws";
import { firstLoadJs } from "../../console/bundle-size.ts";
import { BASELINE_DOCUMENT, startDocumentAgentApp } from "../support/document-agent.ts";
import { ADMIN_KEY, auth, eventually, queueDrained, signedWebhook } from "../support/test-app.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DIST = join(ROOT, "console/dist");
const SHOTS = join(ROOT, "docs/screenshots");
const CHROMIUM = "/usr/bin/chromium";

type DocApp = Awaited<ReturnType<typeof startDocumentAgentApp>>;

/** A web-chat customer: the frames the server pushed, and a way to write. */
async function chatCustomer(baseUrl: string, session: string) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/chat/web/ws?session=${session}`);
  const frames: { type: string; [k: string]: unknown }[] = [];
  socket.on("message", (data) => frames.push(JSON.parse(String(data))));
  await new Promise((ok, fail) => socket.once("open", ok).once("error", fail));
  let n = 0;
  return {
    frames,
    async say(text: string): Promise<string> {
      const id = `c-${++n}`;
      socket.send(JSON.stringify({ type: "message", id, text }));
      const ack = await eventually(
        async () => frames.find((f) => f.type === "ack" && f.clientId === id),
        `the ack of "${text}"`,
      );
      return ack["conversationId"] as string;
    },
    received: (text: string) =>
      eventually(
        async () =>
          frames.find(
            (f) => f.type === "message" && (f["message"] as { text: string }).text.includes(text),
          ),
        `the customer to receive "${text}"`,
      ),
    close: () => socket.close(),
  };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });

describe("operator console in a real browser", { timeout: 90_000 }, () => {
  let env: DocApp;
  let browser: Browser;
  let page: Page;
  // The server's clock runs ahead on demand, so this minute's rollups can be closed.
  let skew = 0;
  // The version the rollout tests compare with the baseline (the agents test activates it).
  let rolloutCandidate = "";

  before(async () => {
    if (!existsSync(join(DIST, "index.html"))) {
      execFileSync("npm", ["run", "build:console"], { cwd: ROOT, stdio: "inherit" });
    }
    mkdirSync(SHOTS, { recursive: true });
    env = await startDocumentAgentApp({
      clock: { now: () => Date.now() + skew },
      // The example policy file carries test cases the playground runs.
      extraYaml: `policies: ${JSON.stringify(resolve("examples/policies/default.yaml"))}`,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    await env?.dispose();
  });

  it("keeps first-load JavaScript under 200 KB gzipped", () => {
    const size = firstLoadJs(DIST);
    assert.ok(size.files.length > 0);
    assert.ok(size.gzipBytes < 200 * 1024, `${size.gzipBytes} bytes gzipped`);
  });

  it("signs in with an API key and shows a web-chat message arriving live", async () => {
    const base = env.app.url;
    await page.goto(base); // `/` redirects to the console
    assert.match(page.url(), /\/console/);
    await page.getByLabel("API key").fill(ADMIN_KEY);
    await shot(page, "sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.getByText("No conversations.").waitFor();

    const customer = await chatCustomer(base, "console-e2e-customer-1");
    const conversationId = await customer.say("How long does shipping take?");
    // No reload: the row comes in over the live stream.
    const row = page.locator(`a[data-conversation-id="${conversationId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await queueDrained(env.app.store);
    await row.click();
    await page.locator(".bubble.outbound").first().waitFor();
    await page.locator(".bubble.outbound .ticks").first().waitFor();
    const meta = await page.locator(".bubble.outbound .meta").first().textContent();
    assert.match(meta ?? "", /support@v_/);
    // The reply's turn trace: what the built-in agent retrieved from the knowledge base.
    const trace = page.locator(".bubble.outbound .trace").first();
    await trace.locator("summary").click();
    await trace
      .getByText(/knowledge/)
      .first()
      .waitFor();
    await page.getByText("Event timeline").click();
    await shot(page, "inbox");
    customer.close();
  });

  it("takes a handoff from the queue, replies, and the customer receives it", async () => {
    await page.getByRole("link", { name: "Handoff queue" }).click();
    await page.getByText("Nobody is waiting.").waitFor();
    const customer = await chatCustomer(env.app.url, "console-e2e-customer-2");
    const conversationId = await customer.say("I want to talk to a real person");
    const item = page.locator(`li[data-conversation-id="${conversationId}"]`);
    await item.waitFor({ timeout: 10_000 });
    await item.getByText("customer_request").waitFor();
    await shot(page, "handoffs");

    await item.getByRole("button", { name: "Take" }).click();
    await page.getByLabel(/Reply as/).fill("Hi, this is the admin. Your parcel left today.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await customer.received("Your parcel left today.");
    await page.locator(".bubble.human").waitFor();
    await shot(page, "handoff-reply");
    await page.getByRole("button", { name: "Hand back to bot" }).click();
    await eventually(async () => {
      const res = await env.inject({
        url: `/api/v1/conversations/${conversationId}`,
        headers: auth,
      });
      return res.json().state === "bot" ? true : undefined;
    }, "the handback");
    customer.close();
  });

  it("shows a rollout with its gates, decisions and controls", async () => {
    const candidate = await env.push(
      BASELINE_DOCUMENT.replace(
        "Answer from the knowledge base.",
        "Answer briefly, from the knowledge base.",
      ),
    );
    const started = await env.inject({
      method: "POST",
      url: "/api/v1/rollouts",
      headers: auth,
      payload: { agent: "support", candidate, steps: [{ canary: "50%" }] },
    });
    assert.equal(started.statusCode, 201, started.body);
    for (let i = 0; i < 6; i++) {
      await env.inject(
        signedWebhook({ id: `r-${i}`, from: `+155501000${i}`, text: "Where is my order?" }),
      );
    }
    await queueDrained(env.app.store);
    await page.getByRole("link", { name: "Rollouts" }).click();
    await page.getByRole("heading", { name: /support: v_/ }).waitFor();
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.locator(".chart canvas").first().waitFor();
    await shot(page, "rollouts");

    // Paused from outside the page (a terminal, another instance): the page follows by itself.
    const id = started.json().id as string;
    const paused = await env.inject({
      method: "POST",
      url: `/api/v1/rollouts/${id}/pause`,
      headers: auth,
    });
    assert.equal(paused.statusCode, 200, paused.body);
    await page.getByRole("heading", { name: /support: v_.*paused/ }).waitFor();
    await page.getByRole("button", { name: "Resume" }).waitFor();

    await page.getByRole("button", { name: "Abort" }).click();
    await page.getByRole("button", { name: "Confirm abort" }).click();
    await page.getByRole("heading", { name: /support: v_.*aborted/ }).waitFor();
    const status = (await env.inject({ url: `/api/v1/rollouts/${id}`, headers: auth })).json();
    assert.equal(status.state, "aborted");
    rolloutCandidate = candidate;
  });

  it("starts a rollout from a pasted document, naming each problem's line and column", async () => {
    await page.getByRole("link", { name: "Start a rollout…" }).click();
    const document = page.getByLabel("Rollout document (YAML)");
    await document.fill(
      `agent: support\ncandidate: ${rolloutCandidate}\nsteps:\n  - canary: 150%\n`,
    );
    await page.getByRole("button", { name: "Start rollout" }).click();
    await page.locator(".problems li", { hasText: /^body\.document:4:\d+: steps\[0\]/ }).waitFor();
    await shot(page, "rollout-start");

    await document.fill(
      `agent: support\ncandidate: ${rolloutCandidate}\nsteps:\n  - canary: 10%\n`,
    );
    await page.getByRole("button", { name: "Start rollout" }).click();
    await page.getByRole("heading", { name: /support: v_.*running/ }).waitFor();
    const id = page.url().split("/").at(-1)!;
    assert.match(id, /^ro_/);

    // Aborted server-side: the open page shows it without a reload.
    const aborted = await env.inject({
      method: "POST",
      url: `/api/v1/rollouts/${id}/abort`,
      headers: auth,
    });
    assert.equal(aborted.statusCode, 200, aborted.body);
    await page.getByRole("heading", { name: /support: v_.*aborted/ }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Abort" }).count(), 0);
  });

  it("charts metrics per channel and lists incidents", async () => {
    skew = 2 * 60_000;
    // The first rollup pass backfills a day, a few hours per tick.
    for (let i = 0; i < 100 && !(await env.app.monitor.tick()).evaluated; i++);
    await page.getByRole("link", { name: "Monitoring" }).click();
    await page.locator(".chart canvas").first().waitFor();
    await page.getByRole("heading", { name: "Incidents" }).waitFor();
    // Every legend names its quantity and reads a value or "no data", never "--".
    assert.equal(await page.locator(".u-legend .u-value", { hasText: /^--$/ }).count(), 0);
    await shot(page, "monitoring");

    // Opened elsewhere, it appears without a reload; resolved here with a closing note.
    const opened = await env.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: auth,
      payload: { title: "Carrier delays on SMS", severity: "warning" },
    });
    const incidentId = opened.json().id as string;
    const row = page.locator(`li[data-incident-id="${incidentId}"]`);
    await row.getByText("Carrier delays on SMS").click();
    await row.getByRole("button", { name: "Acknowledge" }).click();
    await row.locator(".badge", { hasText: "acknowledged" }).waitFor();
    await row.getByLabel(/Note/).fill("Carrier confirmed; recovered at 10:40");
    await row.getByRole("button", { name: "Resolve with note" }).click();
    await row.locator(".badge", { hasText: "resolved" }).waitFor();
    await row.getByText("Carrier confirmed; recovered at 10:40").waitFor();
    const incident = (
      await env.inject({ url: `/api/v1/incidents/${incidentId}`, headers: auth })
    ).json();
    assert.deepEqual([incident.status, incident.resolvedBy], ["resolved", "admin"]);
  });

  it("runs the policy playground with highlighted spans", async () => {
    await page.getByRole("link", { name: "Policy playground" }).click();
    await page
      .getByLabel("Message")
      .fill("Sure, email me at jane.doe@example.com or call +1 415 555 0100.");
    await page.locator(".highlighted mark").first().waitFor();
    assert.match(
      (await page.locator(".highlighted mark").first().textContent()) ?? "",
      /jane\.doe@example\.com|415/,
    );
    await page.getByRole("button", { name: /^Run \d+ test cases$/ }).click();
    await page.getByText("pass", { exact: true }).first().waitFor();
    assert.equal(await page.getByText("fail", { exact: true }).count(), 0);
    await shot(page, "playground");
  });

  it("shows the audit log with its chain verified", async () => {
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByText("verified").waitFor();
    await page.locator("tbody tr").first().waitFor();
    await shot(page, "audit");
  });

  it("creates, rotates and revokes an API key, each refused at once", async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    await page.getByLabel("Name").fill("e2e-reporting");
    await page.getByLabel("Channels (optional)").fill("web");
    await page.getByRole("button", { name: "Create key" }).click();
    const token = async () => (await page.getByTestId("new-token").textContent()) ?? "";
    await page.getByTestId("new-token").waitFor();
    const first = await token();
    const row = page.getByRole("row", { name: /e2e-reporting/ });
    await row.getByText("live").waitFor();
    const status = (key: string, channel = "web") =>
      fetch(`${env.app.url}/api/v1/conversations?channel=${channel}`, {
        headers: { authorization: `Bearer ${key}` },
      }).then((r) => r.status);
    // Its scope holds: its own channel, not another.
    assert.deepEqual([await status(first), await status(first, "sms")], [200, 403]);
    await shot(page, "api-keys");

    await row.getByRole("button", { name: "Rotate" }).click();
    await eventually(async () => (await token()) !== first || undefined, "the rotated token");
    const second = await token();
    assert.deepEqual([await status(first), await status(second)], [401, 200]);

    page.once("dialog", (dialog) => dialog.accept());
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText("revoked").waitFor();
    assert.equal(await status(second), 401);
  });

  it("diffs agent versions and pulls the kill switch after a confirmation", async () => {
    // One judged conversation, as live quality stores it (its judge is tested in test/quality).
    const [judged] = await env.app.store.conversations.list({ limit: 1 });
    const candidate = {
      conversationId: judged!.id,
      agentId: "support",
      agentVersion: judged!.agentVersion!,
      channelType: "webchat",
      turns: 1,
      violations: 0,
      handoffReason: null,
      createdAt: judged!.createdAt,
    };
    await env.app.store.transaction(async (tx) => {
      await tx.qualityScores.decide(
        [{ candidate, status: "pending", reason: "random", label: "open" }],
        Date.now(),
      );
      await tx.qualityScores.recordScore(
        {
          conversationId: candidate.conversationId,
          agentVersion: candidate.agentVersion,
          criteria: { resolution: 1, tone: 0.6 },
          overall: 0.8,
          explanation: "answered the question",
          judge: "test/judge",
          bad: false,
          inputTokens: 10,
          outputTokens: 5,
          judgedAt: Date.now(),
        },
        0,
      );
    });
    await page.getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { name: "support" }).waitFor();
    const quality = page.locator("table.quality");
    await quality.getByText("0.80").waitFor();
    assert.equal(await quality.getByRole("columnheader", { name: "tone" }).count(), 1);
    await page.getByRole("button", { name: "Diff with previous" }).first().click();
    await page.locator(".diff .add, .diff .mod").first().waitFor();

    await page.getByRole("button", { name: `Activate ${rolloutCandidate}` }).click();
    await page.getByRole("button", { name: "Confirm activate" }).click();
    await page
      .getByRole("row", { name: new RegExp(rolloutCandidate) })
      .getByText("active", { exact: true })
      .waitFor();
    assert.equal(await env.activeVersion(), rolloutCandidate);
    await page.getByRole("button", { name: "Kill support…" }).click();
    await page.getByLabel(/Reason/).fill("console e2e: leaking order numbers");
    await shot(page, "kill-confirm");
    await page.getByRole("button", { name: "Confirm kill" }).click();
    await page.getByText(/Killed .*leaking order numbers/).waitFor();
    const kills = (await env.inject({ url: "/api/v1/kills", headers: auth })).json();
    assert.equal(kills.data[0].agentId, "support");
    await shot(page, "agents");
  });

  it("reads on a phone-sized screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("link", { name: "Inbox" }).click();
    await page.locator("a[data-conversation-id]").first().click();
    await page.getByRole("link", { name: "← All conversations" }).waitFor();
    await shot(page, "phone");
  });
});
