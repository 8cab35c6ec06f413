import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_CHAOS_OPTIONS, runChaos } from "../../bench/chaos/run-chaos.ts";

const pgUrl = process.env["MAINSTAY_TEST_DATABASE_URL"];

// `npm run chaos` at a size for every test run: two instances, one SIGKILL, a failing vendor.
describe("chaos run, short", { skip: !pgUrl && "MAINSTAY_TEST_DATABASE_URL not set" }, () => {
  it("loses no accepted message and answers none twice under kills and vendor faults", async () => {
    const ledger = await runChaos({
      ...DEFAULT_CHAOS_OPTIONS,
      databaseUrl: pgUrl!,
      instances: 2,
      senders: 6,
      messagesPerSender: 4,
      webchatSessions: 3,
      kills: 1,
      maxSeconds: 40,
    });
    const summary = JSON.stringify(ledger, null, 2);
    assert.equal(ledger.faults.kills, 1, summary);
    assert.equal(ledger.accepted, 24, summary);
    assert.equal(ledger.drained, true, summary);
    assert.equal(ledger.lost, 0, summary);
    assert.equal(ledger.duplicates.acrossKeys, 0, summary);
    assert.equal(ledger.webchat.lost, 0, summary);
  });
});
