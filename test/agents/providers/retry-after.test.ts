import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { retryAfterMs } from "../../../src/agents/providers/retry-after.ts";

const now = Date.parse("2026-01-01T00:00:00Z");
const wait = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), now);

describe("retryAfterMs", () => {
  it("reads delay-seconds and HTTP dates, never negative", () => {
    assert.equal(wait({ "retry-after": "30" }), 30_000);
    assert.equal(wait({ "retry-after": "1.5" }), 1500);
    assert.equal(wait({ "retry-after": "Thu, 01 Jan 2026 00:00:20 GMT" }), 20_000);
    assert.equal(wait({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), 0);
  });

  it("prefers retry-after-ms and ignores what it cannot read", () => {
    assert.equal(wait({ "retry-after-ms": "120", "retry-after": "30" }), 120);
    assert.equal(wait({ "retry-after-ms": "soon", "retry-after": "30" }), 30_000);
    assert.equal(wait({ "retry-after": "later" }), undefined);
    assert.equal(wait({}), undefined);
  });
});
