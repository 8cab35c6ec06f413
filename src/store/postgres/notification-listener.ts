import pg from "pg";
import type { Logger } from "pino";
import { isConnectionLost } from "./connection-lost.ts";

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export type OnNotify = (payload: string) => void;

/**
 * One dedicated connection LISTENing on every channel asked for (a pooled one would be
 * handed to other queries). When it is lost it reconnects with doubling back-off, LISTENs
 * again, and calls every listener once with the payload "": notifications sent while it
 * was down are gone (PostgreSQL queues them only for connected listeners), so each
 * listener re-reads what it follows.
 */
export function notificationListener(config: pg.ClientConfig, logger?: Logger) {
  const listeners = new Map<string, OnNotify[]>();
  let client: pg.Client | undefined;
  let connectedOnce = false;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  // Connects, LISTENs and reconnects run one at a time, so none sees a half-made state.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = tail.then(op, op);
    tail = next.catch(() => undefined);
    return next;
  };

  const tell = (channel: string, payload: string) => {
    for (const onNotify of listeners.get(channel) ?? []) {
      try {
        onNotify(payload);
      } catch (err) {
        logger?.error({ err, channel }, "a notification listener threw");
      }
    }
  };

  async function connect(): Promise<void> {
    const next = new pg.Client(config);
    next.on("notification", (n) => tell(n.channel, n.payload ?? ""));
    next.on("error", (err) => lost(next, err));
    next.on("end", () => lost(next, new Error("LISTEN connection ended")));
    try {
      await next.connect();
      for (const channel of listeners.keys()) await next.query(`LISTEN ${channel}`);
    } catch (e) {
      await next.end().catch(() => undefined);
      throw e;
    }
    client = next;
    connectedOnce = true;
  }

  function lost(which: pg.Client, err: Error): void {
    if (which !== client || closed) return;
    client = undefined;
    which.end().catch(() => undefined);
    logger?.warn({ err }, "LISTEN connection lost; reconnecting");
    reconnectLater();
  }

  function reconnectLater(): void {
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures++);
    retry = setTimeout(() => {
      retry = undefined;
      void serial(async () => {
        if (closed) return;
        try {
          await connect();
        } catch (err) {
          logger?.warn({ err, failures }, "LISTEN reconnect failed");
          reconnectLater();
          return;
        }
        failures = 0;
        logger?.info("LISTEN connection back; listeners catch up");
        for (const channel of listeners.keys()) tell(channel, "");
      });
    }, delay);
  }

  return {
    listen: (channel: string, onNotify: OnNotify) =>
      serial(async () => {
        const known = listeners.get(channel);
        listeners.set(channel, [...(known ?? []), onNotify]);
        // The first connection's failure fails the start; later ones are retried.
        if (!connectedOnce) return connect();
        if (known || !client) return; // a reconnect LISTENs on every channel
        await client.query(`LISTEN ${channel}`).catch((e) => {
          if (!isConnectionLost(e)) throw e;
        });
      }),
    close: () => {
      closed = true;
      clearTimeout(retry);
      return serial(async () => {
        await client?.end().catch(() => undefined);
        client = undefined;
      });
    },
  };
}
