import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { startCallbackServer } from "../support/callback-server.ts";
import { startChild } from "../support/child-process.ts";
import { auth, eventually, signedWebhook } from "../support/test-app.ts";

describe("crash in the middle of outbox delivery", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mainstay-crash-"));
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("re-sends after kill -9 and restart, with the same idempotency key, losing nothing", async () => {
    // The first delivery hangs (the child is killed while it waits); later ones succeed.
    let holding: ServerResponse | undefined;
    const callback = await startCallbackServer((_req, res) => {
      if (!holding) holding = res;
      else res.end("ok");
    });
    cleanups.push(() => callback.close());

    const first = await startChild(dataDir, callback.url);
    cleanups.push(() => first.process.kill("SIGKILL"));
    const { payload, headers } = signedWebhook({
      id: "crash-1",
      from: "+15550009",
      text: "How do I return a phone?",
    });
    const res = await fetch(`${first.url}/webhooks/api`, {
      method: "POST",
      headers,
      body: payload,
    });
    assert.equal(res.status, 202);
    const { conversationId } = (await res.json()) as { conversationId: string };

    await eventually(
      async () => (callback.received.length >= 1 ? true : undefined),
      "first delivery",
    );
    first.process.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");

    const second = await startChild(dataDir, callback.url);
    cleanups.push(async () => {
      second.process.kill("SIGTERM");
      await second.exited;
    });
    await eventually(
      async () => (callback.received.length >= 2 ? true : undefined),
      "the delivery to be retried after restart",
    );
    const [before, afterRestart] = callback.received;
    assert.equal(afterRestart!.headers["idempotency-key"], before!.headers["idempotency-key"]);
    assert.equal(afterRestart!.body, before!.body);

    const messages = await eventually(async () => {
      const r = await fetch(`${second.url}/api/v1/conversations/${conversationId}/messages`, {
        headers: auth,
      });
      const { data } = (await r.json()) as { data: { direction: string; status: string }[] };
      return data.some((m) => m.status === "sent") ? data : undefined;
    }, "the reply to be marked sent");
    assert.deepEqual(
      messages.map((m) => [m.direction, m.status]),
      [
        ["inbound", "received"],
        ["outbound", "sent"],
      ],
    );
    holding?.destroy();
  });
});
