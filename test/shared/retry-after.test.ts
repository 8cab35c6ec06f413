import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { retryAfterMs } from "../../src/shared/retry-after.ts";

const now = Date.parse("2026-01-01T00:00:00Z");
const wait = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), now);

/** Whole seconds within ten years either side of `now`: what a server can write as a date. */
const httpDate = fc.integer({ min: -315_360_000, max: 315_360_000 }).map((s) => now + s * 1000);

/** Any value a Headers object accepts (no CR, LF or NUL; outer whitespace is trimmed). */
const headerValue = fc.string({ unit: "binary" }).filter((value) => {
  try {
    new Headers({ "retry-after": value });
    return true;
  } catch {
    return false;
  }
});

describe("retryAfterMs", () => {
  it("reads delay-seconds, decimals included", () => {
    assert.equal(wait({ "retry-after": "30" }), 30_000);
    assert.equal(wait({ "retry-after": " 1.5 " }), 1500);
    assert.equal(wait({ "retry-after": "0" }), 0);
  });

  it("reads the three HTTP-date forms of RFC 9110 from the given now, never negative", () => {
    assert.equal(wait({ "retry-after": "Thu, 01 Jan 2026 00:00:20 GMT" }), 20_000);
    assert.equal(wait({ "retry-after": "Thursday, 01-Jan-26 00:00:20 GMT" }), 20_000);
    assert.equal(wait({ "retry-after": "Thu Jan  1 00:00:20 2026" }), 20_000);
    assert.equal(wait({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), 0);
  });

  it("prefers retry-after-ms and ignores what it cannot read", () => {
    assert.equal(wait({ "retry-after-ms": "120", "retry-after": "30" }), 120);
    assert.equal(wait({ "retry-after-ms": "12.5" }), 12.5);
    assert.equal(wait({ "retry-after-ms": "soon", "retry-after": "30" }), 30_000);
    const unreadable = ["later", "-5", "2001-05-01", "1e3", "Thu, 99 Foo 2026", "9".repeat(400)];
    for (const header of unreadable) {
      assert.equal(wait({ "retry-after": header }), undefined, header);
    }
    assert.equal(wait({}), undefined);
  });

  it("any delay-seconds is that many seconds", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 999 }), (whole, thousandths) => {
        const fraction = String(thousandths).padStart(3, "0");
        assert.equal(wait({ "retry-after": String(whole) }), whole * 1000);
        assert.equal(
          wait({ "retry-after": `${whole}.${fraction}` }),
          Number(`${whole}.${fraction}`) * 1000,
        );
      }),
    );
  });

  it("any IMF-fixdate is the time from now until then, or zero once past", () => {
    fc.assert(
      fc.property(httpDate, (date) => {
        const header = new Date(date).toUTCString();
        assert.equal(wait({ "retry-after": header }), Math.max(0, date - now));
      }),
    );
  });

  it("any header value gives a wait of zero or more, or none", () => {
    fc.assert(
      fc.property(headerValue, headerValue, (seconds, ms) => {
        const result = wait({ "retry-after": seconds, "retry-after-ms": ms });
        assert.ok(result === undefined || (Number.isFinite(result) && result >= 0), String(result));
      }),
    );
  });
});
