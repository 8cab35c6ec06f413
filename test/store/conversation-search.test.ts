import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Store } from "../../src/store/index.ts";
import { migrate } from "../../src/store/migrations.ts";
import { repositoriesOn } from "../../src/store/store.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { databaseAt } from "./database-at.ts";
import { storedConversation } from "./stored-conversation.ts";

// Conversation search, the same on every storage engine and whichever way it reads
// (conversation-search.ts: the newest conversations one by one, or the search index).

const now = Date.UTC(2026, 0, 1);

for (const backend of backends) {
  describe(`conversation search: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    it("matches a substring of three characters or more, case-insensitively and literally", async () => {
      const [ada, bob] = await store.transaction(async (tx) => [
        await storedConversation(
          tx,
          "Ada Lovelace",
          "+15550001",
          ["Where is ORDER 42?", 'she said "hi" AND left * NEAR(x) -y'],
          now,
        ),
        await storedConversation(
          tx,
          "Bob",
          "bob@example.com",
          ["100% refund please", "thanks"],
          now,
        ),
      ]);
      const search = async (q: string) =>
        (await store.conversations.list({ search: q, limit: 10 })).map((c) => c.id);
      assert.deepEqual(await search("der 4"), [ada!.id]);
      assert.deepEqual(await search("LOVE"), [ada!.id]);
      assert.deepEqual(await search("5550"), [ada!.id]);
      assert.deepEqual(await search("Example.Com"), [bob!.id]);
      assert.deepEqual(await search('said "hi" and'), [ada!.id], "quotes and AND are text");
      assert.deepEqual(await search("* near(x) -y"), [ada!.id], "query syntax is text");
      assert.deepEqual(await search("0%r"), [], "% is not a wildcard");
      assert.deepEqual(await search("42"), [], "two characters match ids only");
      assert.deepEqual(await search(ada!.id), [ada!.id], "the whole id");
      assert.deepEqual(await search(ada!.id.slice(0, 9)), [], "not a part of the id");
    });

    it("finds the same conversations walking the newest ones and reading the index", async () => {
      // 200 conversations: `every` in all, `often` in every third, `seldom` in every
      // fortieth, `early` only in the oldest 60 (the walk finds none, the index reads).
      const terms = { every: () => true, often: (i: number) => i % 3 === 0 };
      const more = { seldom: (i: number) => i % 40 === 0, early: (i: number) => i < 60 };
      const has = { ...terms, ...more };
      const made = await store.transaction(async (tx) => {
        const list: { id: string; state: string; words: string[] }[] = [];
        for (let i = 0; i < 200; i++) {
          const words = Object.entries(has)
            .filter(([, test]) => test(i))
            .map(([word]) => `${word}word`);
          const c = await storedConversation(
            tx,
            `Walker ${i}`,
            `+1666${i}`,
            [`hello ${words.join(" ")}`, "more"],
            now,
          );
          if (i % 2 === 0) await tx.conversations.setState(c.id, "human", now);
          list.push({ id: c.id, state: i % 2 === 0 ? "human" : "bot", words });
        }
        return list;
      });
      const newestFirst = made.sort((a, b) => (a.id < b.id ? 1 : -1));
      for (const word of Object.keys(has)) {
        for (const state of [undefined, "human"] as const) {
          const expected = newestFirst
            .filter((c) => c.words.includes(`${word}word`) && (!state || c.state === state))
            .map((c) => c.id);
          // Page through it 7 at a time, as the inbox does.
          const got: string[] = [];
          for (let before: string | undefined; ; ) {
            const page = await store.conversations.list({
              search: `${word.toUpperCase()}WORD`,
              state,
              before,
              limit: 7,
            });
            got.push(...page.map((c) => c.id));
            before = page.at(-1)?.id;
            if (page.length < 7) break;
          }
          assert.deepEqual(got, expected, `${word}, ${state ?? "any state"}`);
        }
      }
    });

    it("indexes the rows stored before migration 11, and every row written after", async () => {
      const old = await databaseAt(backend, 10, now);
      try {
        const repos = repositoriesOn(old.db);
        // More rows than a backfill chunk, so it takes several.
        const texts = Array.from({ length: 1200 }, (_, i) => `old message ${i}`);
        const stored = await old.db.transaction((tx) =>
          storedConversation(repositoriesOn(tx), "Grace Hopper", "grace@example.com", texts, now),
        );
        assert.deepEqual((await migrate(old.db, now)).slice(0, 2), [11, 12]);
        const after = await storedConversation(
          repos,
          "Alan Turing",
          "+15559999",
          ["new message"],
          now,
        );
        const search = async (q: string) =>
          (await repos.conversations.list({ search: q, limit: 10 })).map((c) => c.id);
        assert.deepEqual(await search("message 1199"), [stored.id]);
        assert.deepEqual(await search("hopper"), [stored.id]);
        assert.deepEqual(await search("new mess"), [after.id]);
        if (backend.name === "sqlite") {
          const count = async (table: string) =>
            (await old.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n;
          assert.equal(await count("messages_search"), 1201);
          assert.equal(await count("contacts_search"), 2);
          assert.equal(await count("identities_search"), 2);
          // A deleted row leaves the index (found there by its text).
          await old.db.run("DELETE FROM messages WHERE conversation_id = ?", [after.id]);
          assert.equal(await count("messages_search"), 1200);
        }
      } finally {
        await old.close();
      }
    });
  });
}
