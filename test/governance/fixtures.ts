import type { ConversationService } from "../../src/conversations/index.ts";
import type { Store } from "../../src/store/index.ts";

/** What a customer wrote and who they are: none of it may be readable after erasure. */
export const SECRET = "pineapple42";
export const NAME = "Alice Liddell";
export const PHONE = "+15550001111";

/**
 * A customer on `channel` with a message carrying guardrail evidence (in meta and in a
 * `guardrail.decision` event), an attachment, a consent change, an agent turn with a shadow
 * text and its trace. Returns the ids.
 */
export async function seedCustomer(
  service: ConversationService,
  store: Store,
  opts: { channel?: string; from?: string; secret?: string; name?: string } = {},
) {
  const channel = opts.channel ?? "sms";
  const now = service.now();
  const secret = opts.secret ?? SECRET;
  const accepted = await service.receive(
    { id: channel, type: channel },
    {
      providerMessageId: `p-${Math.random().toString(36).slice(2)}`,
      from: opts.from ?? PHONE,
      displayName: opts.name ?? NAME,
      phone: opts.from ?? PHONE,
      text: `hello, my code is ${secret}`,
      attachments: [{ url: `https://files.example.com/${secret}.png`, name: `${secret}.png` }],
    },
  );
  const { conversationId, messageId } = accepted;
  const finding = {
    type: "secret",
    start: 0,
    end: 5,
    rule: "r1",
    score: 1,
    evidence: { match: secret },
  };
  const message = (await store.messages.get(messageId))!;
  await store.db.run("UPDATE messages SET meta = ? WHERE id = ?", [
    JSON.stringify({ ...message.meta, guardrails: { action: "tag", findings: [finding] } }),
    messageId,
  ]);
  await store.events.append(
    conversationId,
    "guardrail.decision",
    { direction: "inbound", messageId, action: "tag", findings: [finding] },
    now,
  );
  const conversation = (await store.conversations.get(conversationId))!;
  await store.db.run(
    `INSERT INTO consent_changes (channel_id, address, contact_id, state, evidence, created_at)
     VALUES (?, ?, ?, 'opted_out', ?, ?)`,
    [
      channel,
      opts.from ?? PHONE,
      conversation.contactId,
      JSON.stringify({ messageId, text: `STOP ${secret}` }),
      now,
    ],
  );
  const turnId = `turn-${messageId}`;
  await store.outcomes.recordTurn(
    {
      id: turnId,
      conversationId,
      messageId,
      replyId: null,
      agentId: "support",
      agentVersion: "1",
      shadow: true,
      rolloutId: null,
      channelType: "sms",
      latencyMs: 12,
      provider: null,
      model: null,
      inputTokens: null,
      outputTokens: null,
      cost: null,
      error: null,
      fallback: false,
      action: "allow",
      findings: [],
      handoff: null,
      shadowText: `shadow reply about ${secret}`,
      createdAt: now,
    },
    [],
  );
  await store.turnTraces.insert({
    turnId,
    conversationId,
    messageId,
    replyId: null,
    steps: [{ kind: "prompt", text: `prompt with ${secret}` }],
    createdAt: now,
  });
  return { conversationId, messageId, contactId: conversation.contactId, turnId };
}

/** Every row of the tables that hold what a person wrote, as one string to search. */
export async function personalTables(store: Store): Promise<string> {
  const tables = [
    "messages",
    "events",
    "agent_turns",
    "turn_traces",
    "contacts",
    "identities",
    "conversation_notes",
    "outcome_events",
    "audit_log",
  ];
  const dumps = await Promise.all(tables.map((t) => store.db.all(`SELECT * FROM ${t}`)));
  return JSON.stringify(dumps);
}
