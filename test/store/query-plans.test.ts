import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { computeRollups } from "../../src/monitoring/rollups/index.ts";
import type { Executor, SqlValue, Store } from "../../src/store/index.ts";
import { repositoriesOn } from "../../src/store/store.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { storedConversation } from "./stored-conversation.ts";

// The reads that once grew with stored history go through an index (SQLite's plans: they
// do not depend on table statistics, so they hold at any size).

const now = Date.UTC(2026, 0, 1);
const sqlite = backends.find((b) => b.name === "sqlite")!;

describe("query plans: sqlite", () => {
  let store: Store;
  let close: () => Promise<void>;
  before(async () => {
    ({ store, close } = await openBackendStore(sqlite, now));
  });
  after(() => close?.());

  /** The plan of every statement `read` runs, one line per step. */
  async function plans(read: (repos: ReturnType<typeof repositoriesOn>) => Promise<unknown>) {
    const statements: [string, readonly SqlValue[]][] = [];
    const db: Executor = {
      dialect: "sqlite",
      all(sql, params) {
        statements.push([sql, params ?? []]);
        return store.db.all(sql, params);
      },
      get(sql, params) {
        statements.push([sql, params ?? []]);
        return store.db.get(sql, params);
      },
      run(sql, params) {
        statements.push([sql, params ?? []]);
        return store.db.run(sql, params);
      },
    };
    await read(repositoriesOn(db));
    const lines: string[] = [];
    for (const [sql, params] of statements) {
      const plan = await store.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
      lines.push(...plan.map((p) => p.detail));
    }
    return lines.join("\n");
  }

  it("lists the inbox by state and by channel through their indexes", async () => {
    assert.match(
      await plans((r) => r.conversations.list({ state: "human", limit: 51 })),
      /SEARCH conversations USING INDEX conversations_state \(state=\?\)/,
    );
    assert.match(
      await plans((r) => r.conversations.list({ channelId: "api", limit: 51 })),
      /SEARCH conversations USING INDEX conversations_channel \(channel_id=\?\)/,
    );
  });

  it("finds a returning customer's open conversation by their identity", async () => {
    const plan = await plans((r) => r.conversations.findOpen("ident_x", "api"));
    assert.match(
      plan,
      /SEARCH conversations USING INDEX conversations_identity_recent \(identity_id=\? AND channel_id=\?\)/,
    );
  });

  it("searches the newest conversations by their rows, then the search index", async () => {
    // More conversations than the walk's first window, none matching: the index is read.
    await store.transaction(async (tx) => {
      for (let i = 0; i < 120; i++) {
        await storedConversation(tx, `P ${i}`, `+1777${i}`, [`hello ${i}`], now);
      }
    });
    const plan = await plans((r) => r.conversations.list({ search: "needle", limit: 51 }));
    assert.match(plan, /SEARCH m USING INDEX messages_conversation \(conversation_id=\?\)/);
    // A MATCH on each of the three FTS tables (messages, contact names, addresses).
    assert.equal(plan.match(/VIRTUAL TABLE INDEX 0:M/g)?.length, 3, plan);
    assert.doesNotMatch(plan, /SCAN messages\b/);
  });

  it("reads a rollout's turns, its evidence and a rollup window by index", async () => {
    assert.match(
      await plans((r) => r.outcomes.turnsForRollout("ro_1")),
      /SEARCH agent_turns USING INDEX agent_turns_rollout \(rollout_id=\?\)/,
    );
    assert.match(
      await plans((r) => r.rolloutEvidence.read("ro_1", 0)),
      /SEARCH rollout_counters USING INDEX sqlite_autoindex_rollout_counters_1 \(rollout_id=\?\)/,
    );
    // An event in the window, so the conversations it belongs to are looked up.
    const [someone] = await store.conversations.list({ limit: 1 });
    assert.ok(someone, "a stored conversation");
    await store.events.append(someone.id, "message.received", {}, now);
    const rollups = await plans((r) => computeRollups(r.db, now, now + 3_600_000));
    for (const index of ["events_created", "agent_turns_created", "outcome_events_created"]) {
      assert.match(
        rollups,
        new RegExp(`USING INDEX ${index} \\(created_at>\\? AND created_at<\\?\\)`),
      );
    }
    // Rows are grouped per conversation, then their conversations read by primary key.
    assert.match(
      rollups,
      /SEARCH conversations USING INDEX sqlite_autoindex_conversations_1 \(id=\?\)/,
    );
    assert.doesNotMatch(rollups, /SCAN (c|conversations)\b/);
  });
});
