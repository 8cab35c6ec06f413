import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StartedParts } from "../../src/startup/started-parts.ts";

describe("StartedParts", () => {
  it("gives each part what it provides and closes them last first, once", async () => {
    const closed: string[] = [];
    const parts = new StartedParts();
    const a = await parts.start("a", () => ({ provides: 1, close: () => void closed.push("a") }));
    const b = await parts.start("b", async () => ({
      provides: a + 1,
      close: async () => void closed.push("b"),
    }));
    await parts.start("quiet", () => ({ provides: b }));
    await parts.start("c", () => ({ provides: 3, close: () => void closed.push("c") }));
    assert.deepEqual(parts.names, ["a", "b", "c"]);
    await Promise.all([parts.close(), parts.close()]);
    await parts.close();
    assert.deepEqual(closed, ["c", "b", "a"]);
  });

  it("closes the parts before one that fails to start, and rethrows its error", async () => {
    const closed: string[] = [];
    const parts = new StartedParts();
    await parts.start("a", () => ({ provides: 1, close: () => void closed.push("a") }));
    await parts.start("b", () => ({ provides: 2, close: () => void closed.push("b") }));
    await assert.rejects(
      parts.start("c", async () => {
        throw new Error("port in use");
      }),
      /port in use/,
    );
    assert.deepEqual(closed, ["b", "a"]);
  });

  it("closes every part when one fails to close, then throws the first failure", async () => {
    const closed: string[] = [];
    const parts = new StartedParts();
    await parts.start("a", () => ({ provides: 1, close: () => void closed.push("a") }));
    await parts.start("b", () => ({
      provides: 2,
      close: () => {
        throw new Error("b would not close");
      },
    }));
    await parts.start("c", () => ({
      provides: 3,
      close: async () => {
        throw new Error("c would not close");
      },
    }));
    await assert.rejects(parts.close(), /c would not close/);
    assert.deepEqual(closed, ["a"]);
  });
});
