import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { backends } from "../support/backends.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import {
  eventually,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");

describe("a vendor's 429 on one instance", {
  skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set",
}, () => {
  let a: TestApp;
  let b: TestApp;
  let cleanup: () => Promise<void>;
  const arrivals: { id: string; at: number; status: number }[] = [];
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;

  before(async () => {
    // The first send is refused for a second, as a rate-limited vendor account would be.
    callback = await startCallbackServer((req, res) => {
      const status = arrivals.length === 0 ? 429 : 200;
      arrivals.push({ id: JSON.parse(req.body).id, at: Date.now(), status });
      res.writeHead(status, status === 429 ? { "retry-after": "1" } : {});
      res.end(status === 429 ? "slow down" : "ok");
    });
    const created = await postgres!.create();
    cleanup = created.cleanup;
    a = await startTestApp({ callbackUrl: callback.url, store: created.options });
    b = await startTestApp({ callbackUrl: callback.url, store: created.options });
  });
  after(async () => {
    await a?.dispose();
    await b?.dispose();
    await callback?.close();
    await cleanup?.();
  });

  it("holds the next send on another instance until its Retry-After has passed", async () => {
    await b.worker.stop(); // the refused send is A's
    await a.app.inject(
      signedWebhook({ id: "hold-1", from: "+15551201", text: "How long does shipping take?" }),
    );
    const pausedUntil = await eventually(
      () => b.store.channelHolds.pausedUntil("api", 0),
      "the hold A takes on the 429",
    );
    await a.worker.stop(); // from here on only B sends
    b.worker.start();
    await b.app.inject(
      signedWebhook({ id: "hold-2", from: "+15551202", text: "Can I return my phone?" }),
    );
    await eventually(
      async () => (arrivals.filter((r) => r.status === 200).length >= 2 ? true : undefined),
      "both replies delivered",
    );
    await queueDrained(b.store);
    const [refused, ...later] = arrivals;
    assert.equal(refused?.status, 429);
    for (const arrival of later) assert.ok(arrival.at >= pausedUntil, `${arrival.id} held`);
    assert.equal(new Set(later.map((r) => r.id)).size, 2);
  });
});
