import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { eraseContact } from "../../src/governance/index.ts";
import {
  type EncryptionOptions,
  keyStatus,
  openStore,
  rotateKeys,
  type Store,
  type StoreOptions,
} from "../../src/store/index.ts";
import { type Backend, backends } from "../support/backends.ts";
import { encryptionWith, K1, K2, testKey } from "./encryption-keys.ts";
import { storedConversation } from "./stored-conversation.ts";

// Encryption at rest (src/store/encryption/): what the database holds, what the app reads,
// lookups, search, erasure and key rotation, on every storage engine.

const now = Date.UTC(2026, 0, 1);
const SECRET = "refund for order pineapple42";
const EMAIL = "ada@example.com";
const PHONE = "+15550001111";

/** Every row of the tables that may hold personal data, as one string to search. */
async function dump(store: Store): Promise<string> {
  const tables = ["messages", "identities", "consent_ledger", "turn_traces", "search_tokens"];
  return JSON.stringify(await Promise.all(tables.map((t) => store.db.all(`SELECT * FROM ${t}`))));
}

async function seed(store: Store, address = EMAIL, texts = [SECRET]) {
  const conversation = await store.transaction((tx) =>
    storedConversation(tx, "Ada Lovelace", address, texts, now),
  );
  const sms = await store.contacts.createIdentity(
    { channelType: "sms", address: PHONE, phone: PHONE, displayName: "Ada" },
    now,
  );
  await store.consent.record(
    {
      contactId: sms!.contactId,
      identityId: sms!.id,
      purpose: "marketing",
      scope: "address",
      channelId: "sms",
      address: PHONE,
      state: "opted_out",
      evidence: { messageId: "msg_1" },
    },
    now,
  );
  const [message] = await store.messages.list(conversation.id, undefined, 1);
  await store.turnTraces.insert({
    turnId: `turn-${message!.id}`,
    conversationId: conversation.id,
    messageId: message!.id,
    replyId: null,
    steps: [{ kind: "prompt", text: `prompt: ${SECRET}` }],
    createdAt: now,
  });
  return { conversation, message: message!, sms: sms! };
}

const search = async (store: Store, q: string) =>
  (await store.conversations.list({ search: q, limit: 10 })).map((c) => c.id);

const dataKeys = async (store: Store) =>
  (
    await store.db.all<{ key_id: string }>(
      "SELECT key_id FROM encryption_keys WHERE kind = 'data' ORDER BY generation",
    )
  ).map((r) => r.key_id);

/** The data key ids values are sealed with, over every sealed column. */
const sealingKeys = async (store: Store) => [
  ...new Set((await keyStatus(store.db)).map((c) => c.keyId)),
];

for (const backend of backends) {
  describe(`encryption at rest: ${backend.name}`, () => {
    let place: Awaited<ReturnType<Backend["create"]>>;
    const opened: Store[] = [];
    // Off means off here, also when MAINSTAY_TEST_ENCRYPTION turns it on for other suites.
    const open = async (encryption?: EncryptionOptions) => {
      const { encryption: _suiteKey, ...off } = place.options;
      const options: StoreOptions = encryption ? { ...off, encryption } : off;
      const store = await openStore(options, now);
      opened.push(store);
      return store;
    };
    const close = async (store: Store) => {
      opened.splice(opened.indexOf(store), 1);
      await store.close();
    };
    beforeEach(async () => {
      place = await backend.create();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await place.cleanup();
    });

    it("keeps text, addresses, consent addresses and traces sealed; reads them as written", async () => {
      const store = await open(encryptionWith([K1]));
      const { conversation, message, sms } = await seed(store);

      const raw = await dump(store);
      for (const plain of ["pineapple", EMAIL, PHONE, "5550001111"]) {
        assert.ok(!raw.includes(plain), `${plain} is stored in the clear`);
      }
      const row = await store.db.get<{ text: string }>("SELECT text FROM messages WHERE id = ?", [
        message.id,
      ]);
      const [dataKey] = await dataKeys(store);
      assert.match(row!.text, new RegExp(`^enc:v1:${dataKey}:[A-Za-z0-9_-]+$`));
      const wrapped = await store.db.get<Record<string, unknown>>(
        "SELECT * FROM encryption_keys WHERE key_id = ?",
        [dataKey ?? ""],
      );
      // Stored wrapped only: 12 nonce + 32 key + 16 tag bytes, under master key k1.
      assert.equal(wrapped!["master_key_id"], "k1");
      assert.equal(Buffer.from(String(wrapped!["wrapped_key"]), "base64url").length, 60);
      if (store.dialect === "sqlite") {
        // Sealed values stay out of the plaintext FTS tables.
        const fts = await store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages_search");
        assert.equal(Number(fts!.n), 0);
      }

      assert.equal((await store.messages.get(message.id))!.text, SECRET);
      assert.equal(
        (await store.contacts.findIdentity("generic", EMAIL))!.contactId,
        conversation.contactId,
      );
      assert.equal((await store.contacts.findByPhone(PHONE, "whatsapp"))!.id, sms.id);
      assert.equal((await store.contacts.getIdentity(sms.id))!.phone, PHONE);
      const byNumber = await store.contacts.list({ address: "1 (555) 000-1111", limit: 5 });
      assert.deepEqual(
        byNumber.map((c) => c.id),
        [sms.contactId],
      );
      const [entry] = await store.consent.inForce({
        contactId: sms.contactId,
        channelId: "sms",
        address: PHONE,
      });
      assert.deepEqual([entry!.address, entry!.state], [PHONE, "opted_out"]);
      const [trace] = await store.turnTraces.forConversation(conversation.id);
      assert.deepEqual(trace!.steps, [{ kind: "prompt", text: `prompt: ${SECRET}` }]);
      const summary = (await store.conversations.summaries([conversation])).get(conversation.id);
      assert.equal(summary!.lastMessage!.text, SECRET);
      assert.equal(summary!.identity!.address, EMAIL);

      // Uniqueness holds through the blind index.
      const again = await store.contacts.createIdentity(
        { channelType: "generic", address: EMAIL, phone: null, displayName: null },
        now,
      );
      assert.equal(again, undefined);
    });

    it("searches sealed messages and addresses by their blind index, as the policy allows", async () => {
      const store = await open(encryptionWith([K1]));
      const { conversation: a } = await seed(store);
      const b = await store.transaction((tx) =>
        storedConversation(tx, "Bob", "bob@example.org", ["where is my parcel?"], now),
      );
      assert.deepEqual(await search(store, "PINEAPPLE"), [a.id]);
      assert.deepEqual(await search(store, "order pine"), [a.id]);
      assert.deepEqual(await search(store, "parcel"), [b.id]);
      assert.deepEqual(await search(store, "example.org"), [b.id]);
      assert.deepEqual(await search(store, "lovelace"), [a.id], "names are found as before");
      assert.deepEqual(await search(store, a.id), [a.id], "and ids");
      assert.deepEqual(await search(store, "enc:v1"), [], "ciphertext is not searched");
      await close(store);

      // A policy that indexes nothing of sealed text: names and ids only.
      const blind = await open(encryptionWith([K1], "none"));
      const c = await blind.transaction((tx) =>
        storedConversation(tx, "Carol", "carol@example.net", ["no index of me"], now),
      );
      assert.deepEqual(await search(blind, "index of"), []);
      assert.deepEqual(await search(blind, "carol"), [c.id]);
    });

    it("erasure leaves nothing to open and drops the search tokens", async () => {
      const store = await open(encryptionWith([K1]));
      const { conversation, message } = await seed(store);
      await eraseContact(store, conversation.contactId, "admin", now);
      assert.equal((await store.messages.get(message.id))!.text, "");
      const tokens = await store.db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM search_tokens WHERE owner_id = ? OR owner_id = ?",
        [conversation.id, conversation.identityId],
      );
      assert.equal(Number(tokens!.n), 0);
      assert.deepEqual(await search(store, "pineapple"), []);
      assert.deepEqual(await search(store, "example.com"), []);
      const identity = await store.db.get<{ address: string; address_bidx: string | null }>(
        "SELECT address, address_bidx FROM identities WHERE id = ?",
        [conversation.identityId],
      );
      assert.deepEqual(identity, {
        address: `erased:${conversation.identityId}`,
        address_bidx: null,
      });
      // The address no longer finds the erased identity: a new message makes a new one.
      assert.equal(await store.contacts.findIdentity("generic", EMAIL), undefined);
    });

    it("rotates to a new data key while messages keep arriving, and retires the old one", async () => {
      const before = await open(encryptionWith([K1]));
      const seeded = await seed(before);
      for (let i = 0; i < 12; i++) {
        await before.transaction((tx) =>
          storedConversation(tx, `Customer ${i}`, `c${i}@example.com`, [`old text ${i}`], now),
        );
      }
      await close(before);
      // Without the master key of the data key, the start fails and names it.
      await assert.rejects(open(encryptionWith([K2])), (e: Error & { code?: string }) => {
        assert.equal(e.code, "MS_ENCRYPTION_KEY_MISSING");
        assert.match(e.message, /master key "k1"/);
        return true;
      });

      // The servers get the new master key first ...
      const serving = await open(encryptionWith([K2, K1]));
      // ... then `keys rotate` runs beside them: on PostgreSQL as a second store on the
      // database; SQLite's file serves one process, so the same store rotates there.
      const rotator = backend.name === "postgres" ? await open(encryptionWith([K2, K1])) : serving;
      const old = await dataKeys(rotator);
      let arrived = 0;
      const result = await rotateKeys(rotator, {
        now: () => now,
        chunk: 5,
        onChunk: async () => {
          // Between chunks the servers keep receiving and reading: the seeded message,
          // resealed in the first chunk, shows the servers the new data key.
          assert.equal((await serving.messages.get(seeded.message.id))!.text, SECRET);
          await serving.transaction((tx) =>
            storedConversation(
              tx,
              "New",
              `new${arrived}@example.com`,
              [`new text ${arrived}`],
              now,
            ),
          );
          arrived++;
        },
      });
      assert.equal(result.complete, true);
      assert.deepEqual(result.freed, ["k1"]);
      assert.ok(!old.includes(result.dataKey!));
      assert.deepEqual(result.retired.sort(), [...old].sort());
      assert.ok(arrived > 5);
      assert.equal(serving.fields.keyring!.active.id, result.dataKey);
      assert.deepEqual(await sealingKeys(rotator), [result.dataKey]);
      await close(serving);
      if (rotator !== serving) await close(rotator);

      // The old master key may leave the environment now; everything still reads.
      const after = await open(encryptionWith([K2]));
      assert.equal((await after.messages.get(seeded.message.id))!.text, SECRET);
      assert.equal(
        (await after.contacts.findIdentity("generic", "c3@example.com"))!.channelType,
        "generic",
      );
      assert.equal((await after.contacts.findByPhone(PHONE, "email"))!.id, seeded.sms.id);
      assert.deepEqual(await search(after, "pineapple"), [seeded.conversation.id]);
      assert.equal((await search(after, "old text 7")).length, 1);
      assert.equal((await search(after, "new text 0")).length, 1);
      const [entry] = await after.consent.inForce({
        contactId: seeded.sms.contactId,
        channelId: "sms",
        address: PHONE,
      });
      assert.equal(entry!.state, "opted_out");
    });

    it("rotates the master key by re-wrapping alone: no value is rewritten", async () => {
      const first = await open(encryptionWith([K1]));
      const seeded = await seed(first);
      await close(first);
      const rows = (s: Store) =>
        Promise.all(
          ["messages", "identities", "consent_ledger", "turn_traces"].map((t) =>
            s.db.all(`SELECT * FROM ${t} ORDER BY 1`),
          ),
        );

      const rotator = await open(encryptionWith([K2, K1]));
      const stored = await rows(rotator);
      let told: unknown;
      const result = await rotateKeys(rotator, {
        now: () => now,
        rewrapOnly: true,
        onRewrap: (r) => {
          told = r;
        },
      });
      // Every key: the data key sealing the rows, the index key, and the data key this
      // store made for master k2 at its start.
      assert.equal(result.rewrapped.length, 2);
      assert.deepEqual(result.freed, ["k1"]);
      assert.deepEqual(told, { rewrapped: result.rewrapped, freed: result.freed });
      assert.equal(result.dataKey, undefined);
      assert.deepEqual(await rows(rotator), stored, "no value rewritten");
      await close(rotator);

      const after = await open(encryptionWith([K2]));
      assert.equal((await after.messages.get(seeded.message.id))!.text, SECRET);
      assert.equal((await after.contacts.findByPhone(PHONE, "email"))!.id, seeded.sms.id);
      assert.deepEqual(await search(after, "pineapple"), [seeded.conversation.id]);
      const masters = await after.db.all<{ master_key_id: string }>(
        "SELECT DISTINCT master_key_id FROM encryption_keys",
      );
      assert.deepEqual(masters, [{ master_key_id: "k2" }]);
    });

    it("a second instance opens values of a data key created after it started, and seals with it", async () => {
      const a = await open(encryptionWith([K1]));
      const seeded = await seed(a);
      const b = await open(encryptionWith([K1]));
      const result = await rotateKeys(b, { now: () => now });
      assert.notEqual(result.dataKey, a.fields.keyring!.active.id);

      assert.equal((await a.messages.get(seeded.message.id))!.text, SECRET);
      assert.equal(a.fields.keyring!.active.id, result.dataKey);
      const later = await a.transaction((tx) =>
        storedConversation(tx, "Later", "later@example.com", ["after the rotation"], now),
      );
      const [message] = await a.messages.list(later.id, undefined, 1);
      const row = await b.db.get<{ text: string }>("SELECT text FROM messages WHERE id = ?", [
        message!.id,
      ]);
      assert.ok(row!.text.startsWith(`enc:v1:${result.dataKey}:`));
      assert.equal((await b.messages.get(message!.id))!.text, "after the rotation");
      assert.deepEqual(await search(b, "pineapple"), [seeded.conversation.id]);
    });

    // Two SQLite connections in one process cannot both write at once (the synchronous
    // driver's busy wait blocks the other); between processes UNIQUE (kind, generation)
    // decides there as here.
    it("instances starting at once agree on one data key", {
      skip: backend.name === "sqlite" && "one process per SQLite file",
    }, async () => {
      await close(await open()); // migrated, no keys yet
      const ring = encryptionWith([K1]);
      const [a, b] = await Promise.all([open(ring), open(ring)]);
      assert.equal(a!.fields.keyring!.active.id, b!.fields.keyring!.active.id);
      assert.equal((await dataKeys(a!)).length, 1);
    });

    it("continues a rotation cut short where it stopped", async () => {
      const store = await open(encryptionWith([K1]));
      for (let i = 0; i < 9; i++) {
        await store.transaction((tx) =>
          storedConversation(tx, `C${i}`, `c${i}@example.com`, [`text ${i}`], now),
        );
      }
      const rotator = await open(encryptionWith([K2, K1]));
      const first = await rotateKeys(rotator, { now: () => now, chunk: 4, maxChunks: 2 });
      assert.deepEqual([first.complete, first.resealed], [false, 8]);
      const rest = await rotateKeys(rotator, { now: () => now, chunk: 4 });
      // 9 messages and 9 addresses, each sealed again once, with the same data key.
      assert.deepEqual([rest.complete, first.resealed + rest.resealed], [true, 18]);
      assert.deepEqual([rest.resumed, rest.dataKey], [true, first.dataKey]);
      assert.deepEqual(await sealingKeys(rotator), [first.dataKey]);
    });

    it("refuses a missing, different or misplaced key clearly", async () => {
      const store = await open(encryptionWith([K1]));
      const { conversation } = await seed(store, EMAIL, ["first secret", "second secret"]);
      const [m1, m2] = await store.messages.list(conversation.id, undefined, 2);
      // A value moved into another row does not open there (bound to its row).
      const moved = await store.db.get<{ text: string }>("SELECT text FROM messages WHERE id = ?", [
        m1!.id,
      ]);
      await store.db.run("UPDATE messages SET text = ? WHERE id = ?", [moved!.text, m2!.id]);
      await assert.rejects(store.messages.get(m2!.id), { code: "MS_ENCRYPTION_INVALID" });
      await close(store);

      await assert.rejects(open(), (e: Error & { code?: string }) => {
        assert.equal(e.code, "MS_ENCRYPTION_KEY_MISSING");
        assert.match(e.message, /"k1"/);
        return true;
      });
      await assert.rejects(open(encryptionWith([testKey("k1", 9)])), {
        code: "MS_ENCRYPTION_KEY_MISMATCH",
      });
    });

    it("refuses a tampered wrapped key clearly", async () => {
      const store = await open(encryptionWith([K1]));
      await seed(store);
      const [dataKey] = await dataKeys(store);
      const row = await store.db.get<{ wrapped_key: string }>(
        "SELECT wrapped_key FROM encryption_keys WHERE key_id = ?",
        [dataKey ?? ""],
      );
      const bytes = Buffer.from(row!.wrapped_key, "base64url");
      bytes[20] = bytes[20]! ^ 1;
      await store.db.run("UPDATE encryption_keys SET wrapped_key = ? WHERE key_id = ?", [
        bytes.toString("base64url"),
        dataKey ?? "",
      ]);
      await close(store);
      await assert.rejects(open(encryptionWith([K1])), (e: Error & { code?: string }) => {
        assert.equal(e.code, "MS_ENCRYPTION_INVALID");
        assert.match(e.message, new RegExp(`data key "${dataKey}".*master key "k1".*altered`));
        return true;
      });
    });

    it("off stores exactly what it stored before: plaintext, no indexes, no keys", async () => {
      const store = await open();
      const { message } = await seed(store);
      const row = await store.db.get<{ text: string }>("SELECT text FROM messages WHERE id = ?", [
        message.id,
      ]);
      assert.equal(row!.text, SECRET);
      const identities = await store.db.all<Record<string, unknown>>(
        "SELECT address, phone, address_bidx, phone_bidx FROM identities ORDER BY address",
      );
      assert.deepEqual(
        identities.map((i) => [i["address"], i["address_bidx"], i["phone_bidx"]]),
        [
          [PHONE, null, null],
          [EMAIL, null, null],
        ],
      );
      for (const table of ["search_tokens", "encryption_keys", "key_rotations"]) {
        const n = await store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
        assert.equal(Number(n!.n), 0, table);
      }
      assert.equal(store.fields.encrypted, false);
    });

    it("turned on over plaintext rows: they read at once, and rotation seals them", async () => {
      const plain = await open();
      const { conversation, message } = await seed(plain);
      await close(plain);

      const store = await open(encryptionWith([K1]));
      assert.equal((await store.messages.get(message.id))!.text, SECRET);
      assert.equal(
        (await store.contacts.findIdentity("generic", EMAIL))!.id,
        conversation.identityId,
      );
      const later = await store.transaction((tx) =>
        storedConversation(tx, "Later", "later@example.com", ["sealed from the start"], now),
      );
      assert.deepEqual(await search(store, "from the start"), [later.id]);

      const { dataKey } = await rotateKeys(store, { now: () => now });
      assert.deepEqual(await sealingKeys(store), [dataKey]);
      const raw = await dump(store);
      assert.ok(!raw.includes("pineapple") && !raw.includes(EMAIL));
      assert.equal(
        (await store.contacts.findIdentity("generic", EMAIL))!.id,
        conversation.identityId,
      );
      assert.deepEqual(await search(store, "pineapple"), [conversation.id]);
    });
  });
}
