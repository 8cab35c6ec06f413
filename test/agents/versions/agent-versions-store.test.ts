import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  activateAgentVersion,
  getAgentVersion,
  listAgentVersions,
  parseAgentDocument,
  pushAgentVersion,
  versionOf,
} from "../../../src/agents/versions/index.ts";
import type { Store } from "../../../src/store/index.ts";
import { backends, openBackendStore } from "../../support/backends.ts";

const doc = (maxTokens: number, id = "support") => `id: ${id}
provider: { type: anthropic, model: claude-sonnet-4-5 }
systemPrompt: You help customers.
limits: { maxTokens: ${maxTokens} }
`;

// One suite, every storage engine (STYLE.md habit 5).
for (const backend of backends) {
  describe(`agent versions store: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const now = Date.UTC(2026, 0, 1);

    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    it("stores a version once; the same content pushed again is the same version", async () => {
      const first = await pushAgentVersion(
        store,
        { source: doc(100), file: "a.yaml", secrets: [] },
        now,
      );
      assert.deepEqual(first, {
        agentId: "support",
        version: versionOf(parseAgentDocument(doc(100), "a.yaml")),
        createdAt: now,
        created: true,
      });
      // Same content, another layout: nothing stored, the original kept.
      const relaid = `# comment\n${doc(100).replace("limits: { maxTokens: 100 }", "limits:\n  maxTokens: 100")}`;
      const again = await pushAgentVersion(
        store,
        { source: relaid, file: "b.yaml", secrets: [] },
        now + 1000,
      );
      assert.deepEqual(again, { ...first, created: false });
      const stored = await getAgentVersion(store, "support", first.version);
      assert.equal(stored.source, doc(100));
      assert.equal(stored.document.limits.maxTokens, 100);
    });

    it("lists versions newest first, per agent", async () => {
      const older = await pushAgentVersion(
        store,
        { source: doc(200), file: "a.yaml", secrets: [] },
        now + 10,
      );
      const newer = await pushAgentVersion(
        store,
        { source: doc(300), file: "a.yaml", secrets: [] },
        now + 20,
      );
      await pushAgentVersion(
        store,
        { source: doc(300, "sales"), file: "s.yaml", secrets: [] },
        now + 30,
      );
      const listed = await listAgentVersions(store, "support");
      assert.deepEqual(
        listed.versions.slice(0, 2).map((v) => v.version),
        [newer.version, older.version],
      );
      assert.equal(listed.versions.length, 3);
      assert.equal(listed.active, null);
      await assert.rejects(listAgentVersions(store, "nobody"), { code: "MS_NOT_FOUND" });
    });

    it("activates a stored version and reports the one it replaced", async () => {
      const [a, b] = (await listAgentVersions(store, "support")).versions;
      const first = await store.transaction((tx) =>
        activateAgentVersion(tx, "support", a!.version, now + 40),
      );
      assert.deepEqual(first, {
        agentId: "support",
        version: a!.version,
        updatedAt: now + 40,
        previous: null,
      });
      const second = await activateAgentVersion(store, "support", b!.version, now + 50);
      assert.equal(second.previous, a!.version);
      assert.deepEqual(await store.agentVersions.active("support"), {
        agentId: "support",
        version: b!.version,
        updatedAt: now + 50,
      });
      assert.equal((await listAgentVersions(store, "support")).active, b!.version);
    });

    it("refuses to activate or read a version that is not stored", async () => {
      await assert.rejects(activateAgentVersion(store, "support", "v_000000000000", now), {
        code: "MS_NOT_FOUND",
      });
      await assert.rejects(getAgentVersion(store, "sales", "v_000000000000"), {
        code: "MS_NOT_FOUND",
      });
      // The database holds the same rule for writers that skip the check.
      await assert.rejects(store.agentVersions.activate("ghost", "v_000000000000", now));
    });

    it("refuses a document naming a secret the config does not declare", async () => {
      const source = doc(100).replace(
        "claude-sonnet-4-5 }",
        "claude-sonnet-4-5, apiKeySecret: db }",
      );
      await assert.rejects(
        pushAgentVersion(store, { source, file: "a.yaml", secrets: ["anthropic"] }, now),
        {
          code: "MS_AGENT_INVALID",
          message:
            'a.yaml:2:70: provider.apiKeySecret: secret "db" is not declared under secrets: in mainstay.yaml (declared secrets: anthropic)',
        },
      );
    });

    it("refuses a document pushed to another agent's id", async () => {
      await assert.rejects(
        pushAgentVersion(
          store,
          { source: doc(100), file: "a.yaml", expectedId: "sales", secrets: [] },
          now,
        ),
        {
          code: "MS_AGENT_INVALID",
          message: 'a.yaml: id: "support" is not the agent "sales" it is pushed to',
        },
      );
    });
  });
}
