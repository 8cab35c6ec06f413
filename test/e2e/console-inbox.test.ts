import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import WebSocket from "ws";
import {
  ADMIN_KEY,
  auth,
  eventually,
  queueDrained,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DIST = join(ROOT, "console/dist");
const CHROMIUM = "/usr/bin/chromium";

/** A web-chat customer: every frame the server pushed, and a way to write. */
async function chatCustomer(baseUrl: string, session: string) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/chat/web/ws?session=${session}`);
  const frames: { type: string; [k: string]: unknown }[] = [];
  socket.on("message", (data) => frames.push(JSON.parse(String(data))));
  await new Promise((ok, fail) => socket.once("open", ok).once("error", fail));
  const texts = () =>
    frames.filter((f) => f.type === "message").map((f) => (f["message"] as { text: string }).text);
  return {
    texts,
    async say(text: string): Promise<string> {
      socket.send(JSON.stringify({ type: "message", id: "c-1", text }));
      const ack = await eventually(
        async () => frames.find((f) => f.type === "ack"),
        `the ack of "${text}"`,
      );
      return ack["conversationId"] as string;
    },
    received: (text: string) =>
      eventually(
        async () => (texts().some((t) => t.includes(text)) ? true : undefined),
        `the customer to receive "${text}"`,
      ),
    close: () => socket.close(),
  };
}

describe("console inbox: assignment and private notes in a real browser", {
  timeout: 90_000,
}, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    if (!existsSync(join(DIST, "index.html"))) {
      execFileSync("npm", ["run", "build:console"], { cwd: ROOT, stdio: "inherit" });
    }
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("assigns a conversation to me, filters by it, and keeps a note from the customer", async () => {
    await page.goto(`${app.url}/console`);
    await page.getByLabel("API key").fill(ADMIN_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Inbox" }).waitFor();

    const customer = await chatCustomer(app.url, "console-inbox-e2e-customer");
    const id = await customer.say("I want to talk to a real person");
    await queueDrained(app.store);
    const row = page.locator(`a[data-conversation-id="${id}"]`);
    await row.waitFor();
    // A web-chat session id means nothing to a person: a stable visitor name instead.
    assert.match((await row.locator(".row-title").textContent()) ?? "", /Visitor \d{4}/);
    await row.click();
    await page.getByText("Unassigned").waitFor();

    await page.getByRole("button", { name: "Assign to me" }).click();
    await page.getByText("Assigned to admin").waitFor();
    await customer.received("admin joined the conversation");

    // Assigned to me: the row is there; to nobody: it is not.
    await page.getByLabel("Assigned").selectOption("me");
    await row.waitFor();
    await page.getByLabel("Assigned").selectOption("none");
    await row.waitFor({ state: "detached" });
    await page.getByLabel("Assigned").selectOption("");
    await row.waitFor();

    await page.getByLabel("Add a note").fill("VIP customer, refund approved by Sam");
    await page.getByRole("button", { name: "Save note" }).click();
    const note = page.locator(".note", { hasText: "VIP customer, refund approved by Sam" });
    await note.waitFor();
    assert.match((await note.locator(".meta").textContent()) ?? "", /admin/);

    // The note is not a message: the customer never gets it, the thread does not show it.
    await queueDrained(app.store);
    assert.ok(!customer.texts().some((t) => t.includes("refund approved")));
    const messages = await app.app.inject({
      url: `/api/v1/conversations/${id}/messages`,
      headers: auth,
    });
    assert.ok(
      !messages.json().data.some((m: { text: string }) => m.text.includes("refund approved")),
    );
    assert.equal(await page.locator(".bubble", { hasText: "refund approved" }).count(), 0);

    // Labels and resolving from the same controls.
    await page.getByLabel("New label").fill("billing");
    await page.getByRole("button", { name: "Add label" }).click();
    await page.locator(".inbox-actions .badge.tag", { hasText: "billing" }).waitFor();
    await page.getByRole("button", { name: "Resolve" }).click();
    await page.locator(".inbox-actions .badge.resolved").waitFor();
    await page.getByRole("button", { name: "Reopen" }).click();
    await page.getByRole("button", { name: "Resolve" }).waitFor();
    customer.close();
  });
});
