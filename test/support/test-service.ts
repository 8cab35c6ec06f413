import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConversationService } from "../../src/conversations/index.ts";
import { jobQueue } from "../../src/jobs/index.ts";
import type { Clock } from "../../src/shared/clock.ts";
import { openStore, type StoreOptions } from "../../src/store/index.ts";

/**
 * A store and a ConversationService without the HTTP app, for tests of one stage of the
 * pipeline. Without `storeOptions`, a throwaway SQLite file.
 */
export async function openTestService(clock: Clock, storeOptions?: StoreOptions) {
  const dir = storeOptions ? undefined : mkdtempSync(join(tmpdir(), "mainstay-service-"));
  const store = await openStore(
    storeOptions ?? { kind: "sqlite", file: join(dir!, "db.sqlite") },
    clock.now(),
  );
  const service = new ConversationService({
    store,
    queue: jobQueue(store.db),
    clock,
    currentAgent: async () => () => ({ id: "support", version: "1" }),
    maxAttempts: 3,
  });
  return {
    store,
    service,
    async close() {
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
