import assert from "node:assert/strict";
import { test } from "node:test";
import Fastify from "fastify";
import { guardRoutes } from "../../src/api/guard-route.ts";
import { createGuard, defaultPolicy } from "../../src/guardrails/index.ts";
import { isMainstayError } from "../../src/shared/errors.ts";

async function app() {
  const server = Fastify();
  server.setErrorHandler((error, _request, reply) => {
    if (isMainstayError(error))
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message } });
    return reply.status(500).send({ error: { code: "MS_INTERNAL", message: String(error) } });
  });
  await server.register(guardRoutes, { guard: createGuard(defaultPolicy()) });
  return server;
}

test("POST /api/v1/guard checks one message", async () => {
  const server = await app();
  const res = await server.inject({
    method: "POST",
    url: "/api/v1/guard",
    payload: { id: "m1", direction: "inbound", channel: "sms", text: "mail me at jo@example.com" },
  });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    id: "m1",
    action: "redact",
    text: "mail me at [EMAIL]",
    findings: [{ type: "pii.email", start: 11, end: 25, rule: "pii-redact", score: 0.99 }],
  });
});

test("POST /api/v1/guard checks a batch in order", async () => {
  const server = await app();
  const res = await server.inject({
    method: "POST",
    url: "/api/v1/guard",
    payload: [
      { id: 1, direction: "inbound", channel: "sms", text: "STOP" },
      { direction: "outbound", channel: "sms", text: "Hello!" },
    ],
  });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(
    body.map((d: { action: string }) => d.action),
    ["tag", "allow"],
  );
  assert.equal(body[1].id, null);
});

test("POST /api/v1/guard rejects an invalid body with MS_BAD_REQUEST", async () => {
  const server = await app();
  const res = await server.inject({
    method: "POST",
    url: "/api/v1/guard",
    payload: { direction: "up", text: 1 },
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, "MS_BAD_REQUEST");
});

test("the policy's own cases are listed and run through the API", async () => {
  const { loadPolicyFile } = await import("../../src/guardrails/index.ts");
  const server = Fastify();
  await server.register(guardRoutes, {
    guard: createGuard(loadPolicyFile("examples/policies/default.yaml")),
  });
  const listed = (await server.inject({ url: "/api/v1/guard/tests" })).json();
  assert.ok(listed.data.length > 5);
  assert.deepEqual(Object.keys(listed.data[0]).sort(), ["expect", "input", "name"]);
  const run = await server.inject({ method: "POST", url: "/api/v1/guard/tests/run" });
  assert.equal(run.statusCode, 200);
  const body = run.json();
  assert.equal(body.failed, 0);
  assert.equal(body.passed, listed.data.length);
  const card = body.data.find((c: { name: string }) => c.name === "card number is redacted");
  assert.deepEqual(card.actual, {
    action: "redact",
    findings: ["pii.card"],
    text: "my card is [CARD]",
  });
});
