import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newId } from "../../src/shared/ids.ts";
import type { AgentTurnRecord, RolloutRecord, Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

// Rollouts, outcomes and the kill switch behave the same on every storage engine.
for (const backend of backends) {
  describe(`rollout store contract: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const now = Date.UTC(2026, 0, 1);

    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    const rollout = (over: Partial<RolloutRecord> = {}): RolloutRecord => ({
      id: newId("ro", now),
      agentId: "support",
      baseline: "v_base",
      candidate: "v_cand",
      spec: "{}",
      state: "running",
      step: 0,
      stepStartedAt: now,
      createdBy: "admin",
      createdAt: now,
      updatedAt: now,
      endedAt: null,
      ...over,
    });

    async function conversationOn(
      version: string,
      rolloutId: string,
      arm: "baseline" | "candidate",
    ) {
      return store.transaction(async (tx) => {
        const identity = await tx.contacts.resolveIdentity("generic", newId("addr"), null, now);
        const conversation = await tx.conversations.create(
          {
            contactId: identity.contactId,
            identityId: identity.id,
            channelId: "api",
            channelType: "generic",
            agentId: "support",
            agentVersion: version,
          },
          now,
        );
        await tx.outcomes.start(
          {
            conversationId: conversation.id,
            agentId: "support",
            agentVersion: version,
            shadow: false,
            rolloutId,
            arm,
            share: 0.25,
            channelType: "generic",
          },
          now,
        );
        return conversation;
      });
    }

    const turn = (
      conversationId: string,
      version: string,
      over: Partial<AgentTurnRecord> = {},
    ): AgentTurnRecord => ({
      id: newId("turn", now),
      conversationId,
      messageId: newId("msg", now),
      replyId: null,
      agentId: "support",
      agentVersion: version,
      shadow: false,
      rolloutId: null,
      channelType: "generic",
      latencyMs: 120.4,
      provider: "openai",
      model: "m",
      inputTokens: 10,
      outputTokens: 5,
      cost: 0.0025,
      error: null,
      fallback: false,
      action: "allow",
      findings: [],
      handoff: null,
      shadowText: null,
      createdAt: now + 1,
      ...over,
    });

    it("keeps one live rollout per agent, moved only from where the caller saw it", async () => {
      const r = rollout();
      await store.rollouts.insert(r);
      assert.equal((await store.rollouts.liveFor("support"))?.id, r.id);
      assert.deepEqual(
        (await store.rollouts.live()).map((x) => x.id),
        [r.id],
      );
      const moved = await store.rollouts.transition(
        r.id,
        { state: "running", step: 0 },
        { state: "running", step: 1 },
        now + 5,
      );
      assert.equal(moved, true);
      const stale = await store.rollouts.transition(
        r.id,
        { state: "running", step: 0 },
        { state: "running", step: 1 },
        now + 6,
      );
      assert.equal(stale, false, "a second instance deciding the same step changes nothing");
      const got = await store.rollouts.get(r.id);
      assert.equal(got?.step, 1);
      assert.equal(got?.stepStartedAt, now + 5);
      await store.rollouts.addDecision({
        rolloutId: r.id,
        step: 0,
        action: "promote",
        reason: "met",
        evidence: { gates: [{ logE: 1.5 }] },
        actor: "mainstay",
        createdAt: now + 5,
      });
      const [decision] = await store.rollouts.decisions(r.id);
      assert.deepEqual(decision?.evidence, { gates: [{ logE: 1.5 }] });
      assert.equal(
        await store.rollouts.transition(
          r.id,
          { state: "running", step: 1 },
          { state: "aborted", step: 1 },
          now + 7,
        ),
        true,
      );
      assert.equal((await store.rollouts.get(r.id))?.endedAt, now + 7);
      assert.equal(await store.rollouts.liveFor("support"), undefined);
    });

    it("lists rollouts newest first, all agents' or one agent's", async () => {
      const sales = rollout({ agentId: "sales", state: "completed", createdAt: now + 1 });
      const billing = rollout({ agentId: "billing", state: "completed", createdAt: now + 2 });
      await store.rollouts.insert(sales);
      await store.rollouts.insert(billing);
      const mine = (list: RolloutRecord[]) =>
        list.map((r) => r.id).filter((id) => id === sales.id || id === billing.id);
      assert.deepEqual(mine(await store.rollouts.list()), [billing.id, sales.id]);
      assert.deepEqual(mine(await store.rollouts.list({ agentId: "sales" })), [sales.id]);
      assert.deepEqual(
        (await store.rollouts.list({ agentId: "sales", limit: 1 })).map((r) => r.agentId),
        ["sales"],
      );
    });

    it("folds turns into outcomes and returns candidate conversations to the baseline", async () => {
      const r = rollout();
      await store.rollouts.insert(r);
      const onCandidate = await conversationOn("v_cand", r.id, "candidate");
      const onBaseline = await conversationOn("v_base", r.id, "baseline");
      await store.outcomes.recordTurn(
        turn(onCandidate.id, "v_cand", {
          rolloutId: r.id,
          action: "redact",
          findings: ["pii.card"],
        }),
        ["pii.card"],
        -0.25,
      );
      await store.outcomes.recordTurn(
        turn(onCandidate.id, "v_cand", {
          rolloutId: r.id,
          fallback: true,
          handoff: "agent_requested",
        }),
        [],
      );
      await store.outcomes.recordTurn(turn(onBaseline.id, "v_base", { rolloutId: r.id }), []);
      const [outcome] = await store.outcomes.forConversation(onCandidate.id);
      assert.equal(outcome?.turns, 2);
      assert.equal(outcome?.violations, 1);
      assert.deepEqual(outcome?.violationTypes, ["pii.card"]);
      assert.equal(outcome?.firstViolationAt, now + 1);
      assert.equal(outcome?.handoffReason, "agent_requested");
      assert.equal(outcome?.fallbacks, 1);
      assert.equal(outcome?.sentiment, -0.25, "kept when a later turn brings none");
      assert.ok(Math.abs((outcome?.cost ?? 0) - 0.005) < 1e-9);
      assert.equal(outcome?.share, 0.25);
      const turns = await store.outcomes.turnsForRollout(r.id);
      assert.equal(turns.length, 3);
      assert.equal(turns[0]?.latencyMs, 120);
      assert.deepEqual(turns[0]?.findings, ["pii.card"]);

      await store.outcomes.addEvent({
        id: newId("oev", now),
        conversationId: onCandidate.id,
        agentId: "support",
        agentVersion: "v_cand",
        type: "csat",
        value: 1,
        data: {},
        source: "api:admin",
        createdAt: now + 2,
      });
      await store.outcomes.setCsat(onCandidate.id, 1, now + 2);
      assert.deepEqual(
        (await store.outcomes.eventsForRollout(r.id)).map((e) => e.type),
        ["csat"],
      );

      const moved = await store.transaction((tx) => tx.rollouts.returnToBaseline(r, now + 3));
      assert.deepEqual(moved, [onCandidate.id]);
      assert.equal((await store.conversations.get(onCandidate.id))?.agentVersion, "v_base");
      const rows = await store.outcomes.forConversation(onCandidate.id);
      assert.deepEqual(
        rows.map((o) => [o.agentVersion, o.rolloutId]),
        [
          ["v_cand", r.id],
          ["v_base", null],
        ],
      );
    });

    it("marks a contact's recent conversations when they come back", async () => {
      const r = rollout();
      const first = await conversationOn("v_base", r.id, "baseline");
      await store.outcomes.markRepeatContact(first.contactId, now - 1000, "conv_other", now);
      assert.equal((await store.outcomes.forConversation(first.id))[0]?.repeatContact, true);
    });

    it("kills and brings back an agent", async () => {
      await store.agentKills.kill({
        agentId: "support",
        fallback: { type: "canned", text: "Later" },
        reason: "drill",
        actor: "admin",
        killedAt: now,
      });
      await store.agentKills.kill({
        agentId: "support",
        fallback: { type: "human" },
        reason: "again",
        actor: "admin",
        killedAt: now + 1,
      });
      assert.deepEqual(await store.agentKills.all(), [
        {
          agentId: "support",
          fallback: { type: "human" },
          reason: "again",
          actor: "admin",
          killedAt: now + 1,
        },
      ]);
      assert.equal(await store.agentKills.unkill("support"), true);
      assert.equal(await store.agentKills.unkill("support"), false);
    });
  });
}
