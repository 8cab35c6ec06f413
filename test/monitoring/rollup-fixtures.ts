import { newId } from "../../src/shared/ids.ts";
import type { Store } from "../../src/store/index.ts";

/**
 * Rows the pipeline writes (conversations, events, agent turns, CSAT answers), inserted
 * directly so rollups and alerts are tested on exactly the figures they read.
 */
export function monitoringFixtures(store: Store) {
  return {
    async conversation(
      at: number,
      options: { channel?: string; agent?: string; version?: string } = {},
    ): Promise<string> {
      const channel = options.channel ?? "sms";
      return store.transaction(async (tx) => {
        const identity = await tx.contacts.resolveIdentity("generic", newId("addr"), null, at);
        const conversation = await tx.conversations.create(
          {
            contactId: identity.contactId,
            identityId: identity.id,
            channelId: channel,
            channelType: "generic",
            agentId: options.agent ?? "support",
            agentVersion: options.version ?? "v1",
          },
          at,
        );
        await tx.events.append(conversation.id, "conversation.started", {}, at);
        return conversation.id;
      });
    },

    async event(conversationId: string, type: string, at: number, times = 1): Promise<void> {
      for (let i = 0; i < times; i++) await store.events.append(conversationId, type, {}, at);
    },

    async turn(
      conversationId: string,
      at: number,
      turn: {
        version?: string;
        agent?: string;
        latencyMs?: number;
        error?: string;
        fallback?: boolean;
        action?: string;
        findings?: string[];
        inputTokens?: number;
        outputTokens?: number;
        cost?: number | null;
        shadow?: boolean;
      } = {},
    ): Promise<void> {
      await store.db.run(
        `INSERT INTO agent_turns (id, conversation_id, message_id, reply_id, agent_id,
           agent_version, shadow, rollout_id, channel_type, latency_ms, provider, model,
           input_tokens, output_tokens, cost, error, fallback, action, findings, handoff,
           shadow_text, created_at)
         VALUES (?, ?, ?, NULL, ?, ?, ?, NULL, 'generic', ?, 'openai', 'gpt', ?, ?, ?, ?, ?, ?,
           ?, NULL, NULL, ?)`,
        [
          newId("turn"),
          conversationId,
          newId("msg"),
          turn.agent ?? "support",
          turn.version ?? "v1",
          turn.shadow ? 1 : 0,
          turn.latencyMs ?? 800,
          turn.inputTokens ?? null,
          turn.outputTokens ?? null,
          turn.cost === undefined ? 0.001 : turn.cost,
          turn.error ?? null,
          turn.fallback ? 1 : 0,
          turn.action ?? "allow",
          JSON.stringify(turn.findings ?? []),
          at,
        ],
      );
    },

    async csat(conversationId: string, value: number, at: number): Promise<void> {
      await store.db.run(
        `INSERT INTO outcome_events (id, conversation_id, agent_id, agent_version, type, value,
           data, source, created_at)
         VALUES (?, ?, NULL, NULL, 'csat', ?, '{}', 'test', ?)`,
        [newId("oe"), conversationId, value, at],
      );
    },

    /** A job in the queue table, as the worker leaves it. */
    async job(status: "ready" | "dead", runAt: number, updatedAt: number): Promise<void> {
      await store.db.run(
        `INSERT INTO jobs (kind, payload, queue_key, status, attempts, max_attempts, run_at,
           created_at, updated_at)
         VALUES ('message.deliver', '{}', ?, ?, 1, 3, ?, ?, ?)`,
        [newId("q"), status, runAt, runAt, updatedAt],
      );
    },
  };
}

export type MonitoringFixtures = ReturnType<typeof monitoringFixtures>;
