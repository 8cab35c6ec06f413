import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createHttpTool } from "../../src/agents/tools/index.ts";
import { parseAgentDocument } from "../../src/agents/versions/index.ts";

/** What reached the tool's API: the raw request target and whether the key came along. */
const seen: { url: string; auth: boolean }[] = [];
let server: Server;
let base = "";

before(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization === "Bearer tool-key" });
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function ordersTool(path: string) {
  return createHttpTool({
    name: "orders",
    description: "orders",
    method: "GET",
    url: base + path,
    parameters: { type: "object" },
    timeoutMs: 2000,
    authHeader: { name: "Authorization", value: "Bearer tool-key" },
  });
}

const ctx = { conversationId: "c1", contactId: "k1" };

describe("HTTP tool arguments stay inside their segment or query value", () => {
  const cases: { path: string; args: Record<string, string>; sent?: string }[] = [
    { path: "/api/orders/{{n}}", args: { n: ".." } },
    { path: "/api/orders/{{n}}", args: { n: "." } },
    { path: "/api/orders/{{n}}", args: { n: "" } },
    { path: "/api/orders/{{n}}/items", args: { n: ".." } },
    { path: "/x/{{a}}{{b}}", args: { a: ".", b: "." } },
    { path: "/x/.{{n}}", args: { n: "." } },
    { path: "/api/orders/{{n}}", args: { n: "%2e%2e" }, sent: "/api/orders/%252e%252e" },
    { path: "/api/orders/{{n}}", args: { n: "a/../../x" }, sent: "/api/orders/a%2F..%2F..%2Fx" },
    { path: "/api/orders/{{n}}", args: { n: "1?admin=1" }, sent: "/api/orders/1%3Fadmin%3D1" },
    { path: "/api/orders/{{n}}", args: { n: "1#frag" }, sent: "/api/orders/1%23frag" },
    { path: "/api/orders/{{n}}", args: { n: "..\\..\\x" }, sent: "/api/orders/..%5C..%5Cx" },
    { path: "/api/search?q={{q}}", args: { q: "a&admin=1" }, sent: "/api/search?q=a%26admin%3D1" },
    { path: "/api/search?q={{q}}", args: { q: ".." }, sent: "/api/search?q=.." },
  ];
  for (const c of cases) {
    test(`${c.path} with ${JSON.stringify(c.args)}`, async () => {
      const before = seen.length;
      const result = await ordersTool(c.path).run(c.args, ctx);
      if (!c.sent) {
        assert.match(result.content, /^invalid arguments/);
        assert.equal(seen.length, before, "no request is sent");
        return;
      }
      assert.deepEqual(seen.slice(before), [{ url: c.sent, auth: true }]);
    });
  }
});

describe("a document may put placeholders only in the path and query values", () => {
  const cases = [
    { url: "https://{{host}}/orders", where: "host" },
    { url: "https://api.example.com:{{port}}/orders", where: "port" },
    { url: "https://{{user}}@api.example.com/orders", where: "user info" },
    { url: "{{scheme}}://api.example.com/orders", where: "scheme" },
    { url: "https://api.example.com/orders?{{name}}=1", where: "query parameter name" },
    { url: "https://api.example.com/orders#{{frag}}", where: "fragment" },
  ];
  for (const c of cases) {
    test(`${c.url} is refused (${c.where})`, () => {
      const name = c.url.match(/\{\{(\w+)\}\}/)![1]!;
      const document = `
id: shop
provider: { type: openai-compatible, model: m }
systemPrompt: Help.
tools:
  - type: http
    name: orders
    description: Orders
    method: GET
    url: "${c.url}"
    parameters: { type: object, properties: { ${name}: { type: string } } }
`;
      assert.throws(
        () => parseAgentDocument(document, "shop.yaml", { secrets: [] }),
        (e: Error) => e.message.includes(c.where),
      );
    });
  }
});
