import type { Executor } from "../store/index.ts";

export type ConsentState = "opted_out" | "opted_in";

/**
 * The record of opt-outs and opt-ins per (channel, address), append-only: the latest row is
 * the state, the rows before it are the history with their evidence.
 */
export function consentLedger(db: Executor) {
  return {
    async state(channelId: string, address: string): Promise<ConsentState | undefined> {
      const row = await db.get<{ state: ConsentState }>(
        `SELECT state FROM consent_changes WHERE channel_id = ? AND address = ?
         ORDER BY seq DESC LIMIT 1`,
        [channelId, address],
      );
      return row?.state;
    },

    async record(
      tx: Executor,
      change: {
        channelId: string;
        address: string;
        contactId: string;
        state: ConsentState;
        evidence: Record<string, unknown>;
      },
      now: number,
    ): Promise<void> {
      await tx.run(
        `INSERT INTO consent_changes (channel_id, address, contact_id, state, evidence, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          change.channelId,
          change.address,
          change.contactId,
          change.state,
          JSON.stringify(change.evidence),
          now,
        ],
      );
    },
  };
}

export type ConsentLedger = ReturnType<typeof consentLedger>;
