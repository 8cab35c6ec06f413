import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encryptionFromEnv } from "../../src/config/encryption-keys.ts";
import { loadConfigFile, storeOptionsFor } from "../../src/config/index.ts";
import { openStore } from "../../src/store/index.ts";
import { envKeys, K1, K2 } from "../store/encryption-keys.ts";
import { storedConversation } from "../store/stored-conversation.ts";
import { runCliCaptured } from "../support/run-cli.ts";
import { testConfigYaml } from "../support/test-app.ts";

describe("MAINSTAY_ENCRYPTION_KEYS", () => {
  it("reads key id and base64 key entries, the first active", () => {
    const parsed = encryptionFromEnv({ MAINSTAY_ENCRYPTION_KEYS: ` ${envKeys([K2, K1])} ` });
    assert.deepEqual(
      parsed?.keys.map((k) => [k.id, k.key.length]),
      [
        ["k2", 32],
        ["k1", 32],
      ],
    );
    assert.equal(parsed?.search, "tokens");
    assert.equal(encryptionFromEnv({}), undefined, "unset: off");
  });

  it("refuses a bad entry with a stable code, naming no key material", () => {
    const short = `k1:${Buffer.alloc(16, 7).toString("base64")}`;
    for (const [env, message] of [
      [{ MAINSTAY_ENCRYPTION_KEYS: short }, /"k1" is 16 bytes/],
      [{ MAINSTAY_ENCRYPTION_KEYS: "no-colon" }, /<key id>:<base64 key>/],
      [{ MAINSTAY_ENCRYPTION_KEYS: envKeys([K1, K1]) }, /repeat/],
      [
        { MAINSTAY_ENCRYPTION_KEYS: envKeys([K1]), MAINSTAY_ENCRYPTION_SEARCH: "all" },
        /MAINSTAY_ENCRYPTION_SEARCH/,
      ],
    ] as const) {
      assert.throws(
        () => encryptionFromEnv(env),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "MS_ENCRYPTION_KEYS_INVALID");
          assert.match(e.message, message);
          assert.ok(!e.message.includes(K1.key.toString("base64")));
          return true;
        },
      );
    }
  });
});

describe("mainstay keys", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-enc-cli-"));
  const config = join(dir, "mainstay.yaml");
  const local = ["--config", config];
  before(() => writeFileSync(config, testConfigYaml({ dataDir: join(dir, "data") })));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("rotates to the active key with progress, then counts the values per key", async () => {
    const old = { MAINSTAY_ENCRYPTION_KEYS: envKeys([K1]) };
    const store = await openStore(storeOptionsFor(loadConfigFile(config, old).config, old));
    for (let i = 0; i < 3; i++) {
      await store.transaction((tx) =>
        storedConversation(tx, `C${i}`, `c${i}@example.com`, [`text ${i}`], Date.now()),
      );
    }
    await store.close();

    const env = { MAINSTAY_ENCRYPTION_KEYS: envKeys([K2, K1]) };
    const before = await runCliCaptured(["keys", "status", ...local], env);
    assert.equal(before.code, 0, before.err);
    assert.equal(before.out, "messages.text\tk1\t3\nidentities.address\tk1\t3\n");

    const rotated = await runCliCaptured(["keys", "rotate", "--chunk", "2", ...local], env);
    assert.equal(rotated.code, 0, rotated.err);
    assert.match(rotated.out, /^rotating to key k2\nmessages\.text: 2 checked, 2 re-encrypted\n/);
    assert.match(rotated.out, /identities\.address: 1 checked, 1 re-encrypted, done\n/);
    assert.match(rotated.out, /done: 6 re-encrypted; retired k1\n$/);

    const only = { MAINSTAY_ENCRYPTION_KEYS: envKeys([K2]) };
    const after = await runCliCaptured(["keys", "status", ...local], only);
    assert.equal(after.out, "messages.text\tk2\t3\nidentities.address\tk2\t3\n");
  });

  it("says why it cannot run", async () => {
    const off = await runCliCaptured(["keys", "status", ...local], {});
    assert.equal(off.code, 1);
    assert.match(off.err, /^MS_ENCRYPTION_KEY_MISSING: rows are encrypted with key "k2"/);
    const none = await runCliCaptured(["keys", "rotate", ...local], {});
    assert.match(none.err, /^MS_ENCRYPTION_KEY_MISSING/);
    const bad = await runCliCaptured(["keys", "rotate", "--chunk", "0", ...local], {});
    assert.match(bad.err, /^MS_CLI_USAGE: --chunk/);
  });
});
