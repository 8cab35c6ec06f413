import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createHttpTool, type HttpToolOptions } from "../../../src/agents/tools/index.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
const pending = new Set<() => void>();
// A stand-in for a customer's API.
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    if (req.url?.startsWith("/slow")) return pending.add(() => res.end("late"));
    if (req.url?.startsWith("/big")) return res.end("é".repeat(5000));
    if (req.url?.startsWith("/missing")) {
      res.statusCode = 404;
      return res.end('{"error":"order not found"}');
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true }));
  });
});
let base = "";

before(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  for (const finish of pending) finish();
  server.closeAllConnections();
  server.close();
});

const ctx = { conversationId: "c1", contactId: "k1" };

function options(url: string): HttpToolOptions {
  return {
    name: "orders",
    description: "Orders API",
    method: "GET",
    parameters: { type: "object" },
    timeoutMs: 2000,
    url,
  };
}

/** A tool calling `path` on the stand-in API. */
function tool(path: string, overrides: Partial<HttpToolOptions> = {}) {
  return createHttpTool({ ...options(base + path), ...overrides });
}

describe("createHttpTool", () => {
  it("fills the URL template, encoded, and puts other arguments in the query (GET)", async () => {
    const result = await tool("/orders/{{orderId}}").run(
      { orderId: "A/1 ?x", expand: "items", limit: 2, tags: ["a", "b"] },
      ctx,
    );
    assert.deepEqual(result, { content: '{"ok":true}' });
    const request = seen.at(-1)!;
    assert.equal(request.method, "GET");
    assert.equal(
      request.url,
      "/orders/A%2F1%20%3Fx?expand=items&limit=2&tags=%5B%22a%22%2C%22b%22%5D",
    );
    assert.equal(request.body, "");
  });

  it("sends the other arguments as a JSON body (POST), with the auth header", async () => {
    const refunds = tool("/orders/{{orderId}}/refunds", {
      method: "POST",
      authHeader: { name: "Authorization", value: "Bearer s3cret" },
    });
    await refunds.run({ orderId: "42", amount: 10.5, note: "late" }, ctx);
    const request = seen.at(-1)!;
    assert.equal(request.method, "POST");
    assert.equal(request.url, "/orders/42/refunds");
    assert.equal(request.headers.authorization, "Bearer s3cret");
    assert.equal(request.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(request.body), { amount: 10.5, note: "late" });
  });

  it("reports a non-2xx status to the model with the body", async () => {
    const result = await tool("/missing/{{id}}").run({ id: "9" }, ctx);
    assert.equal(result.content, 'error: HTTP 404 Not Found: {"error":"order not found"}');
  });

  it("reports a timeout as content", async () => {
    const result = await tool("/slow", { timeoutMs: 50 }).run({}, ctx);
    assert.equal(result.content, "error: no response within 50 ms");
  });

  it("throws when the turn itself is cancelled", async () => {
    const controller = new AbortController();
    const running = tool("/slow").run({}, { ...ctx, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(running, { name: "AbortError" });
  });

  it("reports a connection failure as content", async () => {
    const unused = createServer();
    await new Promise<void>((r) => unused.listen(0, "127.0.0.1", r));
    const { port } = unused.address() as AddressInfo;
    await new Promise((r) => unused.close(r));
    const result = await createHttpTool(options(`http://127.0.0.1:${port}/x`)).run({}, ctx);
    assert.match(result.content, /^error: request failed: fetch failed \(.*ECONNREFUSED/);
  });

  it("truncates a large body to maxResultBytes with a marker", async () => {
    const result = await tool("/big", { maxResultBytes: 100 }).run({}, ctx);
    assert.ok(Buffer.byteLength(result.content) <= 100);
    assert.match(result.content, /^é+\n\[truncated to 100 bytes\]$/);
  });

  it("reports a missing URL argument instead of calling", async () => {
    const count = seen.length;
    const result = await tool("/orders/{{orderId}}").run({}, ctx);
    assert.match(result.content, /^invalid arguments: "orderId" is required/);
    assert.equal(seen.length, count);
  });

  it("rejects a URL template that is not a URL", () => {
    assert.throws(() => createHttpTool(options("not a url/{{x}}")), /invalid URL/);
  });
});
