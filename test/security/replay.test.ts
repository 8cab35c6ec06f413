import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { channelConfigSchema, createChannel } from "../../src/channels/index.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { backends } from "../support/backends.ts";
import {
  type ChannelsApp,
  fixture,
  GENERIC_SECRET,
  mainstaySigned,
  sinchSigned,
  startChannelsApp,
  unixNow,
} from "../support/channels-app.ts";
import { startFlakyWebhookRoute } from "../support/flaky-webhook-route.ts";
import { openTestService } from "../support/test-service.ts";

type Call = ReturnType<typeof mainstaySigned> | ReturnType<typeof sinchSigned>;

const message = (id: string) => JSON.stringify({ id, from: "user-r", text: "Where is my order?" });

function forwardedEmail(id: string): string {
  return [
    "From: Jane Doe <jane@example.org>",
    "To: support@example.com",
    "Subject: Where is my order?",
    `Message-ID: <${id}@example.org>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Where is my order?",
    "",
  ].join("\r\n");
}

const email = (id: string, timestamp?: number) =>
  mainstaySigned("email", forwardedEmail(id), { contentType: "message/rfc822", timestamp });

/** A Sinch inbound text callback with its own message id. */
const sinchText = (id: string) =>
  fixture("sinch/inbound-text.json").replace("01HQ9A2B3C4D5E6F7G8H9J0KMN", id);

/**
 * Each case is a captured (or forged) signed request sent again. Before, the generic and
 * email webhooks had no timestamp (a capture was good forever, and `requireTimestamp` did
 * not exist) and Sinch nonces were not remembered (a copy inside the window was accepted).
 * The app's `api` and `email` channels require timestamps with the default 300 s window.
 */
const REPLAYS: {
  name: string;
  /** The original, accepted (2xx) before the attack is sent. */
  original?: () => Call;
  attack: (original?: Call) => Call;
  code: string;
}[] = [
  {
    name: "generic: a request signed an hour ago",
    attack: () => mainstaySigned("api", message("r-1"), { timestamp: unixNow() - 3600 }),
    code: "MS_SIGNATURE_STALE",
  },
  {
    name: "generic: a request signed for ten minutes from now",
    attack: () => mainstaySigned("api", message("r-2"), { timestamp: unixNow() + 600 }),
    code: "MS_SIGNATURE_STALE",
  },
  {
    name: "generic: an exact copy inside the window",
    original: () => mainstaySigned("api", message("r-3"), { timestamp: unixNow() }),
    attack: (original) => original!,
    code: "MS_SIGNATURE_REPLAYED",
  },
  {
    name: "generic: a body-only signature where a timestamp is required",
    attack: () => mainstaySigned("api", message("r-4")),
    code: "MS_SIGNATURE_MISSING",
  },
  {
    name: "email: a forwarded message signed an hour ago",
    attack: () => email("r-5", unixNow() - 3600),
    code: "MS_SIGNATURE_STALE",
  },
  {
    name: "email: an exact copy inside the window",
    original: () => email("r-6", unixNow()),
    attack: (original) => original!,
    code: "MS_SIGNATURE_REPLAYED",
  },
  {
    name: "email: a body-only signature where a timestamp is required",
    attack: () => email("r-7"),
    code: "MS_SIGNATURE_MISSING",
  },
  {
    name: "Sinch: a callback's nonce sent again inside the window",
    original: () => sinchSigned(sinchText("01HQREPLAY000000000000001"), "nonce-r-8"),
    attack: (original) => original!,
    code: "MS_SIGNATURE_REPLAYED",
  },
];

for (const backend of backends) {
  describe(`signed requests are accepted once, inside their window: ${backend.name}`, () => {
    let app: ChannelsApp;
    let cleanup: () => Promise<void>;
    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startChannelsApp({
        store: created.options,
        generic: "requireTimestamp: true",
        email: "requireTimestamp: true",
      });
    });
    after(async () => {
      await app?.close();
      await cleanup?.();
    });

    for (const replay of REPLAYS) {
      test(replay.name, async () => {
        const original = replay.original?.();
        if (original) {
          const first = await app.app.inject(original);
          assert.ok(first.statusCode < 300, `original answered ${first.statusCode} ${first.body}`);
        }
        const before = await storedCount(app);
        const res = await app.app.inject(replay.attack(original));
        assert.equal(res.statusCode, 401, res.body);
        assert.equal(res.json().error.code, replay.code);
        assert.equal(await storedCount(app), before, "the attack stored nothing");
      });
    }
  });
}

async function storedCount(app: ChannelsApp): Promise<number> {
  const conversations = await app.store.conversations.list({ limit: 100 });
  const messages = await Promise.all(
    conversations.map((c) => app.store.messages.recent(c.id, 100)),
  );
  return messages.flat().filter((m) => m.direction === "inbound").length;
}

for (const backend of backends) {
  describe(`a signed request that was not stored can be sent again as it was: ${backend.name}`, () => {
    test("the store fails once: the same bytes are accepted on the retry", async () => {
      const created = await backend.create();
      const { service, store, close } = await openTestService(systemClock, created.options);
      const channel = createChannel(
        channelConfigSchema.parse({
          id: "api",
          type: "generic",
          secret: GENERIC_SECRET,
          requireTimestamp: true,
        }),
        { logger: pino({ level: "silent" }), clock: systemClock },
      );
      const app = await startFlakyWebhookRoute({ channel, service, failsOn: () => true });
      try {
        const call = mainstaySigned("api", message("retry-1"), { timestamp: unixNow() });
        assert.equal((await app.inject(call)).statusCode, 500);
        assert.equal((await app.inject(call)).statusCode, 202);
        assert.ok(await store.messages.findInbound("api", "retry-1"));
        // Stored now: a third copy is a replay.
        const third = await app.inject(call);
        assert.equal(third.json().error.code, "MS_SIGNATURE_REPLAYED", third.body);
      } finally {
        await app.close();
        await close();
        await created.cleanup();
      }
    });
  });
}
