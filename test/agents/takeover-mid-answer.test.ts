import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import type { Agent, AgentReply } from "../../src/agents/index.ts";
import { agentRuntime } from "../../src/agents/index.ts";
import { DELIVER_JOB, PROCESS_JOB } from "../../src/conversations/index.ts";
import { type Job, jobQueue } from "../../src/jobs/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { backends } from "../support/backends.ts";
import { openTestService } from "../support/test-service.ts";

const REPLY = "Shipping takes 3-5 business days.";

/** An agent that answers only when the test says so, and tells the test it was asked. */
function heldAgent() {
  let release!: (reply: AgentReply) => void;
  let asked!: () => void;
  const answer = new Promise<AgentReply>((resolve) => {
    release = resolve;
  });
  const wasAsked = new Promise<void>((resolve) => {
    asked = resolve;
  });
  const agent: Agent = {
    id: "held",
    version: "1",
    respond() {
      asked();
      return answer;
    },
  };
  return { agent, wasAsked, release: () => release({ text: REPLY }) };
}

for (const backend of backends) {
  describe(`a person takes over while the agent is answering (${backend.name})`, () => {
    /** One customer message, its turn running on a held agent; `during` runs while it waits. */
    async function answerWhile(during: (take: () => Promise<void>) => Promise<void>) {
      const clock = new ManualClock();
      const created = await backend.create();
      const { store, service, close } = await openTestService(clock, created.options);
      try {
        const { conversationId, messageId } = await service.receive(
          { id: "api", type: "generic" },
          { providerMessageId: "t-1", from: "+15550907", text: "How long does shipping take?" },
        );
        const held = heldAgent();
        const runtime = agentRuntime({
          service,
          clock,
          logger: pino({ level: "silent" }),
          agentFor: async () => ({ agent: held.agent }),
        });
        const job = { kind: PROCESS_JOB, payload: { conversationId, messageId }, attempts: 1 };
        const turn = runtime.run(job as unknown as Job);
        await held.wasAsked;
        await during(() =>
          service.transact((tx) => service.handOff(tx, conversationId, "human_took_over")),
        );
        held.release();
        await turn;
        const stats = await jobQueue(store.db).stats(clock.now());
        return {
          state: (await store.conversations.get(conversationId))?.state,
          outbound: (await store.messages.recent(conversationId, 10)).filter(
            (m) => m.direction === "outbound",
          ),
          deliveries: stats.filter((s) => s.kind === DELIVER_JOB).length,
          events: (await store.events.list(conversationId)).map((e) => e.type),
        };
      } finally {
        await close();
        await created.cleanup();
      }
    }

    it("drops the agent's reply: nothing stored, queued or delivered", async () => {
      const result = await answerWhile((take) => take());
      assert.equal(result.state, "human");
      assert.deepEqual(result.outbound, [], "no agent message stored");
      assert.equal(result.deliveries, 0, "no delivery job queued");
      assert.ok(!result.events.includes("message.queued"));
    });

    it("sends the same reply when nobody takes over (the fake agent is heard)", async () => {
      const result = await answerWhile(async () => {});
      assert.equal(result.state, "bot");
      assert.deepEqual(
        result.outbound.map((m) => [m.author, m.text]),
        [["agent", REPLY]],
      );
      assert.equal(result.deliveries, 1);
    });
  });
}
