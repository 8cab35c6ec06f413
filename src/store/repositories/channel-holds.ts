import type { Executor } from "../database.ts";

/**
 * Channels paused after their vendor refused a send with 429 or 503 and `Retry-After`. A
 * vendor rate-limits the whole account, so the pause is one row per channel that every
 * instance reads immediately before each send.
 */
export function channelHoldsRepository(db: Executor) {
  return {
    /**
     * Pauses `channelId` until `pausedUntil`; a hold already reaching further stays, so two
     * instances refused at once keep the longer of the two waits.
     */
    async hold(channelId: string, pausedUntil: number, reason: string, now: number): Promise<void> {
      await db.run(
        `INSERT INTO channel_holds (channel_id, paused_until, reason, updated_at)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (channel_id) DO UPDATE SET
           paused_until = excluded.paused_until, reason = excluded.reason,
           updated_at = excluded.updated_at
         WHERE channel_holds.paused_until < excluded.paused_until`,
        [channelId, pausedUntil, reason, now],
      );
    },

    /** When the hold on `channelId` ends, if it is still paused at `now`. */
    async pausedUntil(channelId: string, now: number): Promise<number | undefined> {
      const row = await db.get<{ paused_until: number }>(
        "SELECT paused_until FROM channel_holds WHERE channel_id = ? AND paused_until > ?",
        [channelId, now],
      );
      return row?.paused_until;
    },
  };
}
