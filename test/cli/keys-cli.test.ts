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

  it("re-wraps, rotates to a new data key with progress, then lists the keys and their use", async () => {
    const old = { MAINSTAY_ENCRYPTION_KEYS: envKeys([K1]) };
    const store = await openStore(storeOptionsFor(loadConfigFile(config, old).config, old));
    for (let i = 0; i < 3; i++) {
      await store.transaction((tx) =>
        storedConversation(tx, `C${i}`, `c${i}@example.com`, [`text ${i}`], Date.now()),
      );
    }
    const first = store.fields.keyring!.active.id;
    await store.close();

    const env = { MAINSTAY_ENCRYPTION_KEYS: envKeys([K2, K1]) };
    const before = await runCliCaptured(["keys", "status", ...local], env);
    assert.equal(before.code, 0, before.err);
    const created = "\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z";
    assert.match(
      before.out,
      new RegExp(
        `^key\tkind\tmaster\tcreated\tretired\tvalues\n(.*\n)*${first}\tdata\tk1\t${created}\t-\t6\n`,
      ),
    );
    assert.match(before.out, /\tindex\tk1\t.*\t-\t-\n/);
    assert.match(
      before.out,
      new RegExp(`\n\nmessages.text\t${first}\t3\nidentities.address\t${first}\t3\n$`),
    );

    const rotated = await runCliCaptured(["keys", "rotate", "--chunk", "2", ...local], env);
    assert.equal(rotated.code, 0, rotated.err);
    assert.match(
      rotated.out,
      /^re-wrapped 2 key\(s\) with master key k2\nmaster key k1 wraps no key now: it may leave MAINSTAY_ENCRYPTION_KEYS\nmessages\.text: 2 checked, 2 re-encrypted\n/,
    );
    assert.match(rotated.out, /identities\.address: 1 checked, 1 re-encrypted, done\n/);
    const done = /done: 6 re-encrypted, new data key (dk\w+); retired (.+)\n$/.exec(rotated.out);
    assert.ok(done, rotated.out);
    assert.ok(done[2]!.split(", ").includes(first));

    // The old master key has left the environment: everything is on the new data key.
    const only = { MAINSTAY_ENCRYPTION_KEYS: envKeys([K2]) };
    const after = await runCliCaptured(["keys", "status", ...local], only);
    assert.equal(after.code, 0, after.err);
    assert.match(after.out, new RegExp(`${first}\tdata\tk2\t${created}\t${created}\t0\n`));
    assert.match(
      after.out,
      new RegExp(`\n\nmessages.text\t${done[1]}\t3\nidentities.address\t${done[1]}\t3\n$`),
    );

    const rewrap = await runCliCaptured(["keys", "rotate", "--rewrap-only", ...local], only);
    assert.equal(rewrap.out, "re-wrapped 0 key(s) with master key k2\n");
  });

  it("says why it cannot run", async () => {
    const off = await runCliCaptured(["keys", "status", ...local], {});
    assert.equal(off.code, 1);
    assert.match(
      off.err,
      /^MS_ENCRYPTION_KEY_MISSING: master key "k2" is not in MAINSTAY_ENCRYPTION_KEYS/,
    );
    const none = await runCliCaptured(["keys", "rotate", ...local], {});
    assert.match(none.err, /^MS_ENCRYPTION_KEY_MISSING/);
    const bad = await runCliCaptured(["keys", "rotate", "--chunk", "0", ...local], {});
    assert.match(bad.err, /^MS_CLI_USAGE: --chunk/);
  });
});
