import assert from "node:assert/strict";
import { test } from "node:test";
import pino from "pino";
import { agentRuntime } from "../../../src/agents/index.ts";
import { PROCESS_JOB } from "../../../src/conversations/index.ts";
import { type Job, PermanentJobError } from "../../../src/jobs/index.ts";
import { ManualClock } from "../../../src/shared/clock.ts";
import { openTestService } from "../../support/test-service.ts";

test("a malformed process job is dead at once, naming the field, and answers nothing", async () => {
  const clock = new ManualClock();
  const { service, close } = await openTestService(clock);
  try {
    let asked = false;
    const runtime = agentRuntime({
      service,
      clock,
      logger: pino({ level: "silent" }),
      agentFor: async () => {
        asked = true;
        throw new Error("not reached");
      },
    });
    const job = { kind: PROCESS_JOB, payload: { conversationId: "conv_1" }, attempts: 1 };
    await assert.rejects(
      runtime.run(job as unknown as Job),
      (e) => e instanceof PermanentJobError && /payload\.messageId/.test(e.message),
    );
    assert.equal(asked, false);
  } finally {
    await close();
  }
});
