/**
 * The growth bench's data (growth.ts), written straight into the tables with multi-row
 * inserts rather than through the pipeline, so a million messages take about a minute: a
 * conversation per ten messages over 30 days, a turn per outbound message, every
 * conversation in one rollout (half on each arm).
 */

import { rolloutSpecSchema } from "../src/rollouts/index.ts";
import type { SqlValue, Store } from "../src/store/index.ts";

const DAY_MS = 86_400_000;
export const START = Date.UTC(2026, 0, 1);
export const SPAN_MS = 30 * DAY_MS;
const PHRASES = [
  "where is my order",
  "I want a refund please",
  "the parcel arrived damaged",
  "can I change my delivery address",
  "thanks, that helps",
  "how do I reset my password",
  "is this item back in stock",
  "please cancel my subscription",
  "your agent was very helpful",
  "what are your opening hours",
];
export const spec = rolloutSpecSchema.parse({
  agent: "support",
  baseline: "v_base",
  candidate: "v_cand",
  steps: [{ canary: 0.5 }],
  gates: [
    { metric: "violation", margin: 0.02 },
    { metric: "handoff", margin: 0.05 },
    { metric: "error", margin: 0.02 },
    { metric: "latency_p95_ms", max: 5000 },
  ],
});

const pad = (n: number) => String(n).padStart(9, "0");

/** Rows `count` at a time through one multi-row INSERT per batch, a transaction per chunk. */
async function insertRows(
  store: Store,
  table: string,
  columns: string[],
  count: number,
  row: (i: number) => SqlValue[],
) {
  const perStatement = Math.floor(30_000 / columns.length);
  const marks = `(${columns.map(() => "?").join(", ")})`;
  for (let from = 0; from < count; from += 20_000) {
    await store.transaction(async (tx) => {
      const to = Math.min(count, from + 20_000);
      for (let i = from; i < to; i += perStatement) {
        const n = Math.min(perStatement, to - i);
        await tx.db.run(
          `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array(n).fill(marks).join(", ")}`,
          Array.from({ length: n }, (_, k) => row(i + k)).flat(),
        );
      }
    });
  }
}

export async function seed(store: Store, messages: number) {
  const conversations = messages / 10;
  const at = (i: number, of: number) => START + Math.floor((i * SPAN_MS) / of);
  const conversationAt = (c: number) => at(c, conversations);
  const arm = (c: number) => (c % 2 === 0 ? "baseline" : "candidate");
  await insertRows(
    store,
    "contacts",
    ["id", "display_name", "created_at", "updated_at"],
    conversations,
    (c) => [`ct_${pad(c)}`, `Customer ${c}`, conversationAt(c), conversationAt(c)],
  );
  await insertRows(
    store,
    "identities",
    ["id", "contact_id", "channel_type", "address", "created_at"],
    conversations,
    (c) => [`id_${pad(c)}`, `ct_${pad(c)}`, "sms", `+1555${pad(c)}`, conversationAt(c)],
  );
  const state = (c: number) => (c % 50 === 0 ? "human" : c % 10 === 0 ? "bot" : "closed");
  await insertRows(
    store,
    "conversations",
    [
      "id",
      "contact_id",
      "identity_id",
      "channel_id",
      "channel_type",
      "state",
      "agent_id",
      "agent_version",
      "created_at",
      "updated_at",
      "last_message_at",
    ],
    conversations,
    (c) => {
      const t = conversationAt(c);
      const version = arm(c) === "baseline" ? "v_base" : "v_cand";
      return [
        `conv_${pad(c)}`,
        `ct_${pad(c)}`,
        `id_${pad(c)}`,
        "sms",
        "sms",
        state(c),
        "support",
        version,
        t,
        t,
        t,
      ];
    },
  );
  await insertRows(
    store,
    "messages",
    ["id", "conversation_id", "channel_id", "direction", "author", "text", "status", "created_at"],
    messages,
    (m) => {
      const inbound = m % 2 === 0;
      // Every twentieth conversation opens "urgent": a term in 5% of conversations, too
      // few for the newest ones to fill a page, so a search for it reads the index.
      const urgent = m % 200 === 0 ? "urgent: " : "";
      const text = inbound
        ? `${urgent}${PHRASES[(m / 2) % PHRASES.length]} (order ${1_000_000 + m})`
        : `Thanks for writing, we are on it: reference R${m}`;
      return [
        `msg_${pad(m)}`,
        `conv_${pad(Math.floor(m / 10))}`,
        "sms",
        inbound ? "inbound" : "outbound",
        inbound ? "customer" : "agent",
        text,
        inbound ? "received" : "delivered",
        at(m, messages),
      ];
    },
  );
  await insertRows(
    store,
    "events",
    ["conversation_id", "type", "data", "created_at"],
    messages,
    (m) => [
      `conv_${pad(Math.floor(m / 10))}`,
      m % 2 === 0 ? "message.received" : "message.queued",
      "{}",
      at(m, messages),
    ],
  );
  await store.rollouts.insert({
    id: "ro_bench",
    agentId: "support",
    baseline: "v_base",
    candidate: "v_cand",
    spec: JSON.stringify(spec),
    state: "running",
    step: 0,
    stepStartedAt: START,
    createdBy: "bench",
    createdAt: START,
    updatedAt: START,
    endedAt: null,
  });
  await insertRows(
    store,
    "conversation_outcomes",
    [
      "conversation_id",
      "agent_id",
      "agent_version",
      "shadow",
      "rollout_id",
      "arm",
      "share",
      "channel_type",
      "turns",
      "violations",
      "violation_types",
      "errors",
      "fallbacks",
      "cost",
      "repeat_contact",
      "created_at",
      "updated_at",
    ],
    conversations,
    (c) => [
      `conv_${pad(c)}`,
      "support",
      arm(c) === "baseline" ? "v_base" : "v_cand",
      0,
      "ro_bench",
      arm(c),
      0.5,
      "sms",
      5,
      0,
      "[]",
      0,
      0,
      0,
      0,
      conversationAt(c),
      conversationAt(c),
    ],
  );
  // One turn per outbound message, all in the rollout.
  await insertRows(
    store,
    "agent_turns",
    [
      "id",
      "conversation_id",
      "message_id",
      "reply_id",
      "agent_id",
      "agent_version",
      "shadow",
      "rollout_id",
      "channel_type",
      "latency_ms",
      "cost",
      "error",
      "fallback",
      "action",
      "findings",
      "handoff",
      "created_at",
    ],
    messages / 2,
    (k) => {
      const c = Math.floor(k / 5);
      const violated = k % 97 === 0;
      return [
        `turn_${pad(k)}`,
        `conv_${pad(c)}`,
        `msg_${pad(2 * k)}`,
        `msg_${pad(2 * k + 1)}`,
        "support",
        arm(c) === "baseline" ? "v_base" : "v_cand",
        0,
        "ro_bench",
        "sms",
        200 + ((k * 7919) % 3000),
        0.0004,
        k % 211 === 0 ? "timeout" : null,
        0,
        violated ? "redact" : "allow",
        violated ? '["pii_card"]' : "[]",
        k % 131 === 0 ? "customer_asked" : null,
        at(2 * k + 1, messages),
      ];
    },
  );
}
