import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isMainstayError } from "../../src/shared/errors.ts";
import { newId } from "../../src/shared/ids.ts";
import type { Repositories, Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

const now = Date.UTC(2026, 0, 1);

/** Rejects the way a call on the outer store from inside its own transaction does. */
const misuse = (e: unknown) =>
  isMainstayError(e) && e.code === "MS_STORE_MISUSE" && /use the `tx`/.test(e.message);

function conversationIn(tx: Repositories) {
  return async () => {
    const identity = await tx.contacts.resolveIdentity("generic", newId("addr"), null, now);
    return tx.conversations.create(
      {
        contactId: identity.contactId,
        identityId: identity.id,
        channelId: "api",
        channelType: "generic",
        agentId: "support",
        agentVersion: "1",
      },
      now,
    );
  };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

// A hang here is the bug itself: each case fails after a few seconds instead.
const fast = { timeout: 5000 };

for (const backend of backends) {
  describe(`store transaction context: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;

    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    it(
      "refuses a read on the outer store inside its transaction, and rolls back",
      fast,
      async () => {
        let created = "";
        await assert.rejects(
          store.transaction(async (tx) => {
            created = (await conversationIn(tx)()).id;
            await store.conversations.get(created);
          }),
          misuse,
        );
        assert.equal(await store.conversations.get(created), undefined);
      },
    );

    it("refuses raw statements and a nested transaction on the outer database", fast, async () => {
      await store.transaction(async () => {
        await assert.rejects(store.db.get("SELECT 1 AS one"), misuse);
        await assert.rejects(store.db.run("DELETE FROM jobs"), misuse);
        await assert.rejects(
          store.transaction(async () => undefined),
          misuse,
        );
      });
    });

    it("lets other callers wait their turn while a transaction is open", fast, async () => {
      const held = gate();
      const inside = gate();
      let id = "";
      const transaction = store.transaction(async (tx) => {
        id = (await conversationIn(tx)()).id;
        inside.open();
        await held.opened;
      });
      await inside.opened;
      let answered = false;
      const read = store.db.get("SELECT 1 AS one").then((row) => {
        answered = true;
        return row;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // SQLite has one connection: the read waits for the commit (PostgreSQL's need not).
      if (backend.name === "sqlite") assert.equal(answered, false);
      held.open();
      await transaction;
      assert.deepEqual(await read, { one: 1 });
      assert.equal((await store.conversations.get(id))?.id, id);
    });

    it("lets work the transaction started use the store once it has ended", fast, async () => {
      const committed = gate();
      let later: Promise<unknown> | undefined;
      const id = await store.transaction(async (tx) => {
        const conversation = await conversationIn(tx)();
        later = committed.opened.then(() => store.conversations.get(conversation.id));
        return conversation.id;
      });
      committed.open();
      assert.equal(((await later) as { id: string } | undefined)?.id, id);
    });

    it(
      "guards each database apart: another store is free inside this one's transaction",
      fast,
      async () => {
        const other = await openBackendStore(backend, now);
        try {
          await store.transaction(async () => {
            assert.equal(await other.store.conversations.get("conv_none"), undefined);
          });
        } finally {
          await other.close();
        }
      },
    );
  });
}
