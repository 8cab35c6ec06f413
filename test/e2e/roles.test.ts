import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { backends } from "../support/backends.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import { type RunningChild, startChild } from "../support/child-process.ts";
import { runCliCaptured } from "../support/run-cli.ts";
import {
  API_SECRET,
  auth,
  eventually,
  signedWebhook,
  testConfigYaml,
} from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");
const pgUrl = process.env["MAINSTAY_TEST_DATABASE_URL"];

/** `DATABASE_URL` whose connections work in `schema` (the CLI takes no schema setting). */
function schemaUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

async function call(child: RunningChild, request: ReturnType<typeof signedWebhook>) {
  const res = await fetch(`${child.url}${request.url}`, {
    method: request.method,
    headers: request.headers,
    body: request.payload,
  });
  return { status: res.status, body: await res.json() };
}

/** The conversation's messages as the API lists them: direction, and status of replies. */
async function directions(child: RunningChild, conversationId: string) {
  const res = await fetch(`${child.url}/api/v1/conversations/${conversationId}/messages`, {
    headers: auth,
  });
  const page = (await res.json()) as { data: { direction: string; status: string }[] };
  return page.data.map((m) =>
    m.direction === "inbound" ? m.direction : `${m.direction}:${m.status}`,
  );
}

describe("mainstay start --role", () => {
  it("refuses api and worker on the embedded database, which serves one process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mainstay-role-"));
    try {
      const config = join(dir, "mainstay.yaml");
      writeFileSync(config, testConfigYaml({ dataDir: dir }));
      const { code, err } = await runCliCaptured(["start", "--config", config, "--role", "api"]);
      assert.notEqual(code, 0);
      assert.match(err, /--role api needs PostgreSQL/);
      const bad = await runCliCaptured(["start", "--config", config, "--role", "both"]);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /expected one of api, worker, all/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("on PostgreSQL", { skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set" }, () => {
    const dirs: string[] = [];
    const children: RunningChild[] = [];
    let callback: Awaited<ReturnType<typeof startCallbackServer>>;
    let cleanup: () => Promise<void>;
    let env: NodeJS.ProcessEnv;

    const start = async (role: string) => {
      const dir = mkdtempSync(join(tmpdir(), `mainstay-${role}-`));
      dirs.push(dir);
      const child = await startChild(dir, callback.url, { args: ["--role", role], env });
      children.push(child);
      return child;
    };

    before(async () => {
      callback = await startCallbackServer();
      const created = await postgres!.create();
      cleanup = created.cleanup;
      const schema = (created.options as { schema: string }).schema;
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.end();
      env = { DATABASE_URL: schemaUrl(pgUrl!, schema) };
    });
    after(async () => {
      for (const child of children) {
        child.process.kill("SIGTERM");
        await child.exited;
      }
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await callback?.close();
      await cleanup?.();
    });

    it("api serves HTTP and runs no jobs; worker runs them and serves no API", async () => {
      const api = await start("api");
      const ready = await (await fetch(`${api.url}/readyz`)).json();
      assert.deepEqual(Object.keys(ready.checks), ["store", "migrations"]); // no worker here
      const accepted = await call(
        api,
        signedWebhook({ id: "role-1", from: "+15551301", text: "How long does shipping take?" }),
      );
      assert.equal(accepted.status, 202);
      // Fifty of the test config's 20 ms polls: a worker inside the API would have answered.
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(callback.received.length, 0);
      const conversationId = accepted.body.conversationId as string;
      assert.deepEqual(await directions(api, conversationId), ["inbound"]); // not even answered

      const worker = await start("worker");
      assert.equal((await fetch(`${worker.url}/readyz`)).status, 200);
      assert.equal((await fetch(`${worker.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${worker.url}/metrics`)).status, 200);
      for (const path of ["/api/v1/conversations", "/chat/web"]) {
        const res = await fetch(`${worker.url}${path}`, { headers: auth });
        assert.equal(res.status, 404, path);
      }
      const webhook = await call(
        worker,
        signedWebhook({ id: "role-2", from: "+15551302", text: "Hello" }, API_SECRET),
      );
      assert.equal(webhook.status, 404);

      // Together they answer: the worker takes the job the API instance queued.
      await eventually(
        async () => (callback.received.length >= 1 ? true : undefined),
        "the reply to the message the api instance accepted",
        20_000,
      );
      const reply = JSON.parse(callback.received[0]!.body);
      assert.equal(reply.conversationId, conversationId);
      await eventually(async () => {
        const now = await directions(api, conversationId);
        return now.join() === "inbound,outbound:sent" ? true : undefined;
      }, "the api instance to show the reply sent");
    });
  });
});
