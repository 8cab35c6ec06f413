import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { actAs } from "../../src/api/auth/index.ts";
import { registerErrorHandling } from "../../src/api/error-handler.ts";
import { governanceRoutes } from "../../src/api/routes/governance.ts";
import { runCli } from "../../src/cli/main.ts";
import { parseConfigText, storeOptionsFor } from "../../src/config/index.ts";
import { ConversationService } from "../../src/conversations/index.ts";
import { jobQueue } from "../../src/jobs/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import {
  auth,
  signedWebhook,
  startTestApp,
  type TestApp,
  testConfigYaml,
} from "../support/test-app.ts";
import { openTestService } from "../support/test-service.ts";
import { SECRET, seedCustomer } from "./fixtures.ts";

for (const backend of backends) {
  describe(`governance API: ${backend.name}`, () => {
    let store: Store;
    let service: ConversationService;
    let close: () => Promise<void>;
    let admin: FastifyInstance;
    let viewer: FastifyInstance;
    const clock = new ManualClock();

    async function appAs(role: "admin" | "viewer") {
      const app = Fastify({ logger: false });
      registerErrorHandling(app);
      app.addHook("onRequest", actAs({ name: `${role}-key`, role }));
      await app.register(governanceRoutes, { store, clock });
      return app;
    }

    before(async () => {
      const created = await backend.create();
      const opened = await openTestService(clock, created.options);
      ({ store, service } = opened);
      admin = await appAs("admin");
      viewer = await appAs("viewer");
      close = async () => {
        await admin.close();
        await viewer.close();
        await opened.close();
        await created.cleanup();
      };
    });
    after(() => close());

    it("exports for admins only", async () => {
      const a = await seedCustomer(service, store);
      const denied = await viewer.inject({ url: `/api/v1/contacts/${a.contactId}/export` });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().error.code, "MS_FORBIDDEN");
      const res = await admin.inject({ url: `/api/v1/contacts/${a.contactId}/export` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().contact.id, a.contactId);
      assert.match(res.body, new RegExp(SECRET));
      const missing = await admin.inject({ url: "/api/v1/contacts/ct_nope/export" });
      assert.equal(missing.statusCode, 404);
    });

    it("places, lists and lifts holds; erases once no hold is left", async () => {
      const a = await seedCustomer(service, store, { from: "+15550000042" });
      const bad = await admin.inject({
        method: "POST",
        url: "/api/v1/legal-holds",
        payload: { scope: "person", targetId: a.contactId, reason: "x" },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, "MS_BAD_REQUEST");
      const placed = await admin.inject({
        method: "POST",
        url: "/api/v1/legal-holds",
        payload: { scope: "contact", targetId: a.contactId, reason: "matter 7" },
      });
      assert.equal(placed.statusCode, 201);
      const hold = placed.json();
      assert.equal(hold.createdBy, "admin-key");
      const listed = await viewer.inject({ url: `/api/v1/legal-holds?targetId=${a.contactId}` });
      assert.deepEqual(
        listed.json().data.map((h: { id: string }) => h.id),
        [hold.id],
      );
      const refused = await admin.inject({
        method: "POST",
        url: `/api/v1/contacts/${a.contactId}/erase`,
      });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, "MS_LEGAL_HOLD");
      const lifted = await admin.inject({
        method: "POST",
        url: `/api/v1/legal-holds/${hold.id}/lift`,
      });
      assert.equal(lifted.statusCode, 200);
      assert.ok(lifted.json().releasedAt);
      const again = await admin.inject({
        method: "POST",
        url: `/api/v1/legal-holds/${hold.id}/lift`,
      });
      assert.equal(again.json().error.code, "MS_HOLD_LIFTED");
      const erased = await admin.inject({
        method: "POST",
        url: `/api/v1/contacts/${a.contactId}/erase`,
      });
      assert.equal(erased.statusCode, 200);
      assert.equal(erased.json().summary.messages, 1);
      assert.equal((await store.messages.get(a.messageId))!.text, "");
    });
  });
}

describe("governance through the server and the CLI", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      extraYaml: "retention: { default: { messages: 30d }, channels: { web: { traces: 7d } } }",
    });
  });
  after(() => app?.dispose());

  it("serves export and erasure with the admin key, and exposes the purge counter", async () => {
    const sent = await app.app.inject(
      signedWebhook({ id: "g-1", from: "u-1", text: `hi ${SECRET}` }),
    );
    assert.equal(sent.statusCode, 202);
    const conversation = await app.store.conversations.get(sent.json().conversationId);
    const url = `/api/v1/contacts/${conversation!.contactId}/export`;
    assert.equal((await app.app.inject({ url })).statusCode, 401);
    const res = await app.app.inject({ url, headers: auth });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().conversations.length, 1);
    const metrics = await app.app.inject({ url: "/metrics" });
    assert.match(metrics.body, /mainstay_retention_purged_total/);
  });

  it("runs contacts export, erase and holds from the command line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mainstay-governance-cli-"));
    try {
      const file = join(dir, "mainstay.yaml");
      writeFileSync(file, testConfigYaml({ dataDir: dir }));
      const { config } = parseConfigText(readFileSync(file, "utf8"), file);
      const clock = new ManualClock(Date.now());
      const store = await openStore(storeOptionsFor(config, {}), clock.now());
      const service = new ConversationService({
        store,
        queue: jobQueue(store.db),
        clock,
        currentAgent: async () => () => ({ id: "support", version: "1" }),
        maxAttempts: 3,
      });
      const a = await seedCustomer(service, store);
      await store.close();

      const cli = async (...argv: string[]) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        let out = "";
        let err = "";
        stdout.on("data", (d) => (out += d));
        stderr.on("data", (d) => (err += d));
        const code = await runCli([...argv, "--config", file], {
          stdin: new PassThrough(),
          stdout,
          stderr,
          env: {},
        });
        return { code, out, err };
      };
      const exported = await cli("contacts", "export", a.contactId);
      assert.equal(exported.code, 0, exported.err);
      assert.equal(JSON.parse(exported.out).contact.id, a.contactId);

      const placed = await cli("holds", "place", "--contact", a.contactId, "--reason", "case 9");
      assert.equal(placed.code, 0, placed.err);
      const holdId = placed.out.split(" ")[0]!;
      const listed = await cli("holds", "list");
      assert.match(listed.out, new RegExp(`${holdId}\tcontact\t${a.contactId}`));
      const refused = await cli("contacts", "erase", a.contactId, "--yes");
      assert.equal(refused.code, 1);
      assert.match(refused.err, /MS_LEGAL_HOLD/);
      const unconfirmed = await cli("contacts", "erase", a.contactId);
      assert.notEqual(unconfirmed.code, 0);
      assert.match(unconfirmed.err, /--yes is required/);
      assert.equal((await cli("holds", "lift", holdId)).code, 0);
      const erased = await cli("contacts", "erase", a.contactId, "--yes");
      assert.equal(erased.code, 0, erased.err);
      assert.match(erased.out, /erased: 1 conversations, 1 messages, 1 identities/);
      const verified = await cli("audit", "verify");
      assert.equal(verified.code, 0, verified.err);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
