import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Random } from "../../src/shared/random.ts";

/** Shares of calls answered each way; what is left answers 200 at once. */
export interface VendorFaults {
  /** HTTP 500. */
  error: number;
  /** HTTP 429 with `Retry-After: 1`. */
  rateLimited: number;
  /** Taken, then answered only after the sender has given up (its callback timeout). */
  timeout: number;
  /** 200 after 200-800 ms. */
  slow: number;
}

/** One call the stand-in took: a 2xx, or a timeout (the vendor acted, the answer was lost). */
export interface VendorDelivery {
  /** The `Idempotency-Key` (our outbound message id). */
  key: string;
  conversationId: string;
  at: number;
  outcome: "ok" | "timeout";
}

/**
 * A local stand-in for a vendor API (the generic channel's callback URL) that fails on a
 * seeded schedule: 500s, 429s with Retry-After, answers too late, slow answers. It keeps
 * every call it acted on, so the ledger can count what reached the vendor.
 */
export async function startVendorStandIn(options: {
  faults: VendorFaults;
  random: Random;
  /** Longer than the sender's callback timeout, so a "timeout" is one. */
  hangMs: number;
}) {
  const { faults, random } = options;
  const delivered: VendorDelivery[] = [];
  const answers: Record<string, number> = {};
  const okPerConversation = new Map<string, number>();
  const waiters = new Set<() => void>();
  const count = (answer: string) => {
    answers[answer] = (answers[answer] ?? 0) + 1;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const key = String(req.headers["idempotency-key"] ?? "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        conversationId: string;
      };
      const record = (outcome: VendorDelivery["outcome"]) => {
        const delivery = { key, conversationId: body.conversationId, at: Date.now(), outcome };
        delivered.push(delivery);
        if (outcome === "ok") {
          const ok = (okPerConversation.get(body.conversationId) ?? 0) + 1;
          okPerConversation.set(body.conversationId, ok);
          for (const waiter of waiters) waiter();
        }
      };
      const fault = faultFor(random.next(), faults);
      count(fault);
      if (fault === "error") return res.writeHead(500).end("stand-in failure");
      if (fault === "rateLimited") {
        return res.writeHead(429, { "retry-after": "1" }).end("slow down");
      }
      if (fault === "timeout") {
        record("timeout");
        const timer = setTimeout(() => res.writeHead(200).end("ok"), options.hangMs);
        res.once("close", () => clearTimeout(timer));
        return;
      }
      const delay = fault === "slow" ? 200 + Math.floor(random.next() * 600) : 0;
      setTimeout(() => {
        record("ok");
        res.writeHead(200).end("ok");
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    delivered,
    /** How many calls got each answer: "ok", "slow", "error", "rateLimited", "timeout". */
    answers,
    /** Replies the vendor took with 2xx in `conversationId` so far. */
    okCount: (conversationId: string) => okPerConversation.get(conversationId) ?? 0,
    /** Resolves true once `conversationId` has more than `seen` such replies, false after `timeoutMs`. */
    waitBeyond(conversationId: string, seen: number, timeoutMs: number): Promise<boolean> {
      return new Promise((resolve) => {
        const check = () => {
          if ((okPerConversation.get(conversationId) ?? 0) > seen) done(true);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        function done(result: boolean) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(result);
        }
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type VendorStandIn = Awaited<ReturnType<typeof startVendorStandIn>>;

const FAULTS = ["error", "rateLimited", "timeout", "slow"] as const;

/** Which answer a call with random draw `roll` gets: shares stacked in FAULTS order. */
function faultFor(roll: number, faults: VendorFaults): (typeof FAULTS)[number] | "ok" {
  let edge = 0;
  for (const fault of FAULTS) {
    edge += faults[fault];
    if (roll < edge) return fault;
  }
  return "ok";
}
