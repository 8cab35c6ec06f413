import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCliCaptured } from "../support/run-cli.ts";

describe("mainstay demo", () => {
  it("shows a regressed canary being rolled back by itself", async () => {
    const { code, out, err } = await runCliCaptured(["demo", "--port", "0", "--exit"]);
    assert.equal(code, 0, err + out);
    assert.match(out, /30% of new conversations \(sticky\) go to the candidate/);
    assert.match(out, /harm evidence/);
    assert.match(
      out,
      /ROLLED BACK automatically after \d+ conversations: violation: candidate shown worse/,
    );
  });
});

describe("mainstay demo --pace", () => {
  it("refuses a pace that is not a number of milliseconds, naming the option", async () => {
    for (const pace of ["fast", "1.5", "600000"]) {
      const { code, err } = await runCliCaptured(["demo", "--port", "0", "--exit", "--pace", pace]);
      assert.equal(code, 2, pace);
      assert.match(err, /^--pace: expected milliseconds from 0 to 60000, got "/, pace);
    }
  });
});
