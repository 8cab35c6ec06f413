import type { Executor } from "../database.ts";
import type { FieldCodec } from "../encryption/index.ts";

/** One inbound message as the queued intake took it in, before a job stores it. */
export interface InboundItem {
  id: string;
  channelId: string;
  /** The admitted message as JSON (conversations/queued-intake.ts); sealed when encrypting. */
  item: string;
  receivedAt: number;
}

interface Row {
  id: string;
  channel_id: string;
  item: string;
  received_at: number;
}

/**
 * Inbound messages taken in and not yet stored as messages: the queued intake writes a
 * batch of them with their jobs in one commit, and each job removes its item in the
 * transaction that stores the message. A row lives for as long as its job waits.
 */
export function inboundItemsRepository(db: Executor, fields: FieldCodec) {
  return {
    /** All of `items` in one statement. */
    async insertMany(items: readonly InboundItem[]): Promise<void> {
      if (items.length === 0) return;
      const params = items.flatMap((i) => [
        i.id,
        i.channelId,
        fields.seal("inbound_items.item", i.id, i.item),
        i.receivedAt,
      ]);
      await db.run(
        `INSERT INTO inbound_items (id, channel_id, item, received_at)
         VALUES ${items.map(() => "(?, ?, ?, ?)").join(", ")}`,
        params,
      );
    },

    async get(id: string): Promise<InboundItem | undefined> {
      const row = await db.get<Row>("SELECT * FROM inbound_items WHERE id = ?", [id]);
      return (
        row && {
          id: row.id,
          channelId: row.channel_id,
          item: fields.open("inbound_items.item", row.id, row.item),
          receivedAt: Number(row.received_at),
        }
      );
    },

    async delete(id: string): Promise<void> {
      await db.run("DELETE FROM inbound_items WHERE id = ?", [id]);
    },

    /** How many wait to be stored. */
    async count(): Promise<number> {
      const row = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM inbound_items");
      return Number(row?.n ?? 0);
    },
  };
}
