import type { Logger } from "pino";
import { type ConversationEvent, EVENTS_CHANNEL, type Store } from "../store/index.ts";
import { type ConversationEvents, changeOf } from "./conversation-events.ts";

/**
 * How far below the highest seq told a catch-up reads again. Seqs are taken when an event
 * is appended but seen at its commit, so a slow transaction's event can land below events
 * already told; this covers every transaction open at once, with room to spare.
 */
const CATCH_UP_OVERLAP = 1_000;
const CATCH_UP_PAGE = 500;

/**
 * Tells `hub` of every instance's committed conversation events on PostgreSQL: the event
 * log notifies each append with its seq, and this reads the rows (batched while a read is
 * under way). When the LISTEN connection is back after a loss (payload "") or a read failed,
 * it reads everything after the highest seq told, less an overlap; seqs already told are
 * skipped, so a listener hears each event once. With no listener it reads nothing.
 */
export class ConversationEventFeed {
  private highest = 0;
  /** Seqs told above `highest - CATCH_UP_OVERLAP`, to skip on a catch-up. */
  private told = new Set<number>();
  private waiting = new Set<number>();
  private behind = false;
  private reading: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly hub: ConversationEvents,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.store.dialect !== "postgres") return;
    this.highest = await this.store.events.lastSeq();
    await this.store.listen(EVENTS_CHANNEL, (payload) => this.heard(payload));
  }

  /** Stop reading; waits for a read under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.reading;
  }

  private heard(payload: string): void {
    const seq = Number(payload);
    if (!this.hub.hasListeners) {
      // Nobody to tell: keep the mark where a later listener's catch-up would start.
      if (Number.isSafeInteger(seq)) this.highest = Math.max(this.highest, seq);
      return;
    }
    if (payload === "") this.behind = true;
    else if (Number.isSafeInteger(seq)) this.waiting.add(seq);
    this.reading ??= this.readAll().finally(() => {
      this.reading = undefined;
    });
  }

  private async readAll(): Promise<void> {
    while (!this.stopped && (this.behind || this.waiting.size > 0)) {
      const seqs = [...this.waiting];
      const catchUp = this.behind;
      this.waiting.clear();
      this.behind = false;
      try {
        if (catchUp) await this.catchUp();
        this.tell(await this.store.events.withSeqs(seqs));
      } catch (err) {
        // The next notification (at the latest the one after a reconnect) catches up.
        this.logger.warn({ err }, "reading conversation events failed; will catch up");
        this.behind = true;
        return;
      }
    }
  }

  private async catchUp(): Promise<void> {
    let from = Math.max(0, this.highest - CATCH_UP_OVERLAP);
    for (;;) {
      const page = await this.store.events.after(from, CATCH_UP_PAGE);
      this.tell(page);
      if (page.length < CATCH_UP_PAGE) return;
      from = page.at(-1)!.seq;
    }
  }

  private tell(events: ConversationEvent[]): void {
    for (const event of events) {
      if (this.told.has(event.seq)) continue;
      this.told.add(event.seq);
      this.highest = Math.max(this.highest, event.seq);
      this.hub.publish(changeOf(event.conversationId, event.type, event.data));
    }
    if (this.told.size > 2 * CATCH_UP_OVERLAP) {
      const floor = this.highest - CATCH_UP_OVERLAP;
      for (const seq of this.told) if (seq <= floor) this.told.delete(seq);
    }
  }
}
