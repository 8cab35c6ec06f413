import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import type { Agent, AgentCatalog, ServingAgent } from "../../src/agents/index.ts";
import { agentRuntime } from "../../src/agents/index.ts";
import { ConversationService, PROCESS_JOB, type Screening } from "../../src/conversations/index.ts";
import { type Job, jobQueue } from "../../src/jobs/index.ts";
import { limitsConfigSchema, type SpendCap, SpendCaps } from "../../src/limits/index.ts";
import {
  controlledCatalog,
  type LiveRollout,
  rolloutSpecSchema,
} from "../../src/rollouts/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { backends, openBackendStore } from "../support/backends.ts";

const ROLLOUT = "rollout_1";
const usage = { inputTokens: 30, outputTokens: 10 };

const agent = (version: string, respond: Agent["respond"]): Agent => ({
  id: "support",
  version,
  respond,
});
const answering = (version: string, text: string, tokens = usage) =>
  agent(version, async () => ({ text, usage: tokens, meta: { provider: "fake", model: "m" } }));

const live: LiveRollout = {
  record: {
    id: ROLLOUT,
    agentId: "support",
    baseline: "v1",
    candidate: "v2",
    spec: "",
    state: "running",
    step: 0,
    stepStartedAt: 0,
    createdBy: "test",
    createdAt: 0,
    updatedAt: 0,
    endedAt: null,
  },
  spec: rolloutSpecSchema.parse({ agent: "support", candidate: "v2", steps: [{ shadow: 10 }] }),
};

/** A policy that blocks every reply holding "secret", with a safe reply instead. */
const blockSecrets = ({ text }: { text: string }): Screening =>
  text.includes("secret")
    ? {
        action: "block",
        rule: "no-secrets",
        text: "",
        redacted: "",
        reply: "Safe.",
        findings: [{ type: "secret", start: 0, end: 6, rule: "no-secrets", score: 1 }],
      }
    : { action: "allow", text, redacted: text, findings: [] };

for (const backend of backends) {
  describe(`a shadow step's candidate answers alongside, never sent (${backend.name})`, () => {
    /** One customer message answered in a shadow step with this baseline and candidate. */
    async function shadowTurn(
      baseline: ServingAgent,
      candidate: ServingAgent,
      spend?: { caps: SpendCaps; candidateSpent?: number },
    ) {
      const clock = new ManualClock(Date.UTC(2026, 5, 1));
      const { store, close } = await openBackendStore(backend, clock.now());
      try {
        const catalog: AgentCatalog = {
          current: async () => ({ id: "support", version: "v1" }),
          forConversation: async () => baseline,
          forVersion: async (v) => (v === "v2" ? candidate : baseline),
        };
        const control = { killOf: () => undefined, rolloutOf: () => live };
        const controlled = controlledCatalog(catalog, control, store);
        const service = new ConversationService({
          store,
          queue: jobQueue(store.db),
          clock,
          currentAgent: controlled.assign,
          maxAttempts: 3,
        });
        const { conversationId, messageId } = await service.receive(
          { id: "api", type: "generic" },
          { providerMessageId: "s-1", from: "+15550301", text: "Where is my order?" },
        );
        if (spend?.candidateSpent) {
          const keys = { conversationId: "other", contactId: "other" };
          const candidateKeys = { ...keys, agent: { id: "support", version: "v2" } };
          const spent = { cost: 0, tokens: spend.candidateSpent };
          await spend.caps.record(store.db, candidateKeys, spent, clock.now(), ["version"]);
        }
        const turns: (string | null)[] = [];
        const capped: string[] = [];
        const runtime = agentRuntime({
          service,
          clock,
          logger: pino({ level: "silent" }),
          agentFor: controlled.forConversation,
          onTurn: (turn) => turns.push(turn.rolloutId),
          ...(spend && { spend: spend.caps }),
          onSpendCap: (cap: SpendCap, action) => capped.push(`${cap.scope}:${action}`),
        });
        const payload = { conversationId, messageId };
        await runtime.run({ kind: PROCESS_JOB, payload, attempts: 1 } as unknown as Job);
        const counters = await store.db.all<{ scope: string; key: string; tokens: number }>(
          "SELECT scope, key, tokens FROM spend_counters WHERE key <> 'other' ORDER BY scope, key",
        );
        return {
          sent: (await store.messages.recent(conversationId, 10)).filter(
            (m) => m.direction === "outbound",
          ),
          turns: await store.outcomes.turnsForConversation(conversationId),
          outcomes: await store.outcomes.forConversation(conversationId),
          events: (await store.events.list(conversationId)).map((e) => e.type),
          counters: counters.map((c) => `${c.scope}:${c.key}:${Number(c.tokens)}`),
          onTurn: turns,
          capped,
        };
      } finally {
        await close();
      }
    }

    it("records the candidate's answer as a shadow turn; the customer gets the baseline's", async () => {
      const caps = new SpendCaps(limitsConfigSchema.parse({}).spend);
      const result = await shadowTurn(
        { agent: answering("v1", "Baseline answer.") },
        { agent: answering("v2", "Candidate answer.", { inputTokens: 5, outputTokens: 2 }) },
        { caps },
      );
      assert.deepEqual(
        result.sent.map((m) => [m.text, m.agentVersion]),
        [["Baseline answer.", "v1"]],
      );
      const sent = result.turns.find((t) => !t.shadow);
      assert.equal(sent?.agentVersion, "v1");
      assert.equal(sent?.rolloutId, ROLLOUT);
      assert.equal(sent?.replyId, result.sent[0]!.id);
      const shadow = result.turns.find((t) => t.shadow);
      assert.equal(shadow?.agentVersion, "v2");
      assert.equal(shadow?.rolloutId, ROLLOUT);
      assert.equal(shadow?.replyId, null);
      assert.equal(shadow?.shadowText, "Candidate answer.");
      assert.equal(shadow?.inputTokens, 5);
      assert.equal(shadow?.provider, "fake");
      const candidateRow = result.outcomes.find((o) => o.agentVersion === "v2");
      assert.equal(candidateRow?.shadow, true);
      assert.equal(candidateRow?.arm, "candidate");
      assert.equal(candidateRow?.share, 0.5);
      assert.equal(candidateRow?.rolloutId, ROLLOUT);
      // The candidate's tokens count on its version only, never on the customer's allowance.
      assert.equal(result.counters.length, 4, result.counters.join(", "));
      assert.ok(result.counters.some((c) => /^conversation:.*:40$/.test(c)));
      assert.ok(result.counters.some((c) => /^contact:.*:40$/.test(c)));
      assert.ok(result.counters.includes("version:support@v1:40"));
      assert.ok(result.counters.includes("version:support@v2:7"));
      assert.deepEqual(result.onTurn, [ROLLOUT]);
    });

    it("screens the candidate with its own policy: the shadow text is what it would send", async () => {
      const result = await shadowTurn(
        { agent: answering("v1", "Baseline answer.") },
        { agent: answering("v2", "secret 42"), screen: blockSecrets },
      );
      assert.equal(result.sent[0]?.text, "Baseline answer.");
      const shadow = result.turns.find((t) => t.shadow);
      assert.equal(shadow?.shadowText, "Safe.");
      assert.equal(shadow?.action, "block");
      assert.deepEqual(shadow?.findings, ["secret"]);
      assert.equal(result.outcomes.find((o) => o.shadow)?.violations, 1);
      assert.ok(!result.events.includes("guardrail.decision"), "only sent replies are audited");
    });

    it("records a failing candidate as the shadow turn's error; the customer is answered", async () => {
      const failing = agent("v2", async () => {
        throw new Error("candidate down");
      });
      const result = await shadowTurn(
        { agent: answering("v1", "Baseline answer.") },
        { agent: failing },
      );
      assert.equal(result.sent[0]?.text, "Baseline answer.");
      const shadow = result.turns.find((t) => t.shadow);
      assert.equal(shadow?.error, "candidate down");
      assert.equal(shadow?.shadowText, "");
      assert.deepEqual(result.onTurn, [ROLLOUT]);
    });

    it("keeps a candidate past its version's spend cap quiet (shadow_skipped)", async () => {
      const limits = limitsConfigSchema.parse({ spend: { perVersionPerDay: { tokens: 50 } } });
      let asked = false;
      const candidate = agent("v2", async () => {
        asked = true;
        return { text: "never" };
      });
      const result = await shadowTurn(
        { agent: answering("v1", "Baseline answer.") },
        { agent: candidate },
        { caps: new SpendCaps(limits.spend), candidateSpent: 60 },
      );
      assert.equal(asked, false);
      assert.equal(result.sent[0]?.text, "Baseline answer.");
      assert.equal(result.turns.filter((t) => t.shadow).length, 0);
      assert.deepEqual(result.capped, ["version:shadow_skipped"]);
      assert.ok(!result.events.includes("spend.capped"), "the customer's turn was not capped");
    });

    it("asks no candidate when Mainstay answers instead of the baseline", async () => {
      let asked = false;
      const candidate = agent("v2", async () => {
        asked = true;
        return { text: "never" };
      });
      const result = await shadowTurn(
        { agent: answering("v1", "never"), override: { text: "We are away." } },
        { agent: candidate },
      );
      assert.equal(asked, false);
      assert.equal(result.sent[0]?.text, "We are away.");
      assert.equal(result.turns.length, 0);
    });
  });
}
