import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { startChild } from "../support/child-process.ts";
import { auth, eventually, signedWebhook, startTestApp } from "../support/test-app.ts";

describe("restarts and shutdown", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "mainstay-restart-"));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps conversations across a restart", async () => {
    const dataDir = tempDir();
    const first = await startTestApp({ dataDir });
    const res = await first.app.inject(
      signedWebhook({ id: "r-1", from: "+15550020", text: "Do you repair cracked screens?" }),
    );
    const { conversationId } = res.json();
    await eventually(async () => {
      const r = await first.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
      });
      return r.json().data.length === 2 ? true : undefined;
    }, "the reply");
    await first.dispose();

    const second = await startTestApp({ dataDir });
    try {
      const r = await second.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
      });
      assert.equal(r.json().data.length, 2);
      // The same customer continues the same conversation.
      const again = await second.app.inject(
        signedWebhook({ id: "r-2", from: "+15550020", text: "thanks" }),
      );
      assert.equal(again.json().conversationId, conversationId);
    } finally {
      await second.dispose();
    }
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const child = await startChild(tempDir());
    const ready = await fetch(`${child.url}/readyz`);
    assert.equal(ready.status, 200);
    child.process.kill("SIGTERM");
    assert.equal(await child.exited, 0);
    assert.match(child.output(), /SIGTERM: shutting down/);
    // The start-up lines name where to go: the console, then each web chat.
    assert.match(
      child.output(),
      /\n {2}console: http:\/\/localhost:\d+\/console\n {2}web chat "web": /,
    );
  });
});
