import { signGenericBody, TIMESTAMP_HEADER } from "../../src/channels/index.ts";
import type { Random } from "../../src/shared/random.ts";
import type { VendorStandIn } from "./vendor-stand-in.ts";

const QUESTIONS = [
  "How long does shipping take?",
  "Can I return my phone?",
  "Do you fix screens?",
  "Where is my order?",
];

/** A customer message some instance answered 2xx to. */
export interface AcceptedMessage {
  id: string;
  sender: number;
  /** Its place in the sender's sequence, to check the stored order. */
  seq: number;
  conversationId: string;
  acceptedAt: number;
}

export interface WebhookLoad {
  accepted: AcceptedMessage[];
  /** Answers to every webhook call, by HTTP status or "network". */
  answers: Record<string, number>;
  acceptMs: number[];
  /** From a message's 2xx to the vendor taking the reply, where one came in time. */
  replyMs: number[];
}

/**
 * Customers writing through the generic channel's signed webhook: `senders` at once, each
 * sending `messagesPerSender` messages one after the other (the next once the reply reached
 * the vendor, or after `replyWaitMs`). A call that fails goes again, signed anew, to any
 * instance that is up, as a vendor's webhook retries would, until `deadline`.
 */
export async function driveWebhooks(options: {
  liveUrls: () => string[];
  vendor: VendorStandIn;
  secret: string;
  senders: number;
  messagesPerSender: number;
  replyWaitMs: number;
  deadline: number;
  random: Random;
  onAccepted: () => void;
  /**
   * The conversation of a message the queued intake took in (its answer names none):
   * looked up by the message's own id once a job stored it; undefined if it never was.
   */
  conversationOf?: (id: string) => Promise<string | undefined>;
}): Promise<WebhookLoad> {
  const load: WebhookLoad = { accepted: [], answers: {}, acceptMs: [], replyMs: [] };
  const sender = async (s: number) => {
    let conversationId: string | undefined;
    for (let seq = 0; seq < options.messagesPerSender; seq++) {
      const id = `chaos-${s}-${seq}`;
      const body = JSON.stringify({
        id,
        from: `+1555${String(2_000_000 + s).padStart(7, "0")}`,
        text: QUESTIONS[(s + seq) % QUESTIONS.length],
      });
      const seen = conversationId ? options.vendor.okCount(conversationId) : 0;
      const started = Date.now();
      const answer = await postUntilAccepted(body, options, load.answers);
      if (!answer) return;
      const acceptedAt = Date.now();
      // Queued: the answer came before the conversation was chosen; a missing one is lost.
      conversationId = answer.conversationId ?? (await options.conversationOf?.(id)) ?? "";
      load.acceptMs.push(acceptedAt - started);
      load.accepted.push({ id, sender: s, seq, conversationId, acceptedAt });
      options.onAccepted();
      if (await options.vendor.waitBeyond(conversationId, seen, options.replyWaitMs)) {
        load.replyMs.push(Date.now() - acceptedAt);
      }
    }
  };
  await Promise.all(Array.from({ length: options.senders }, (_, s) => sender(s)));
  return load;
}

/**
 * The first 2xx's conversation id (none from the queued intake), or undefined when the
 * deadline passed first.
 */
async function postUntilAccepted(
  body: string,
  options: { liveUrls: () => string[]; secret: string; deadline: number; random: Random },
  answers: Record<string, number>,
): Promise<{ conversationId?: string } | undefined> {
  let lastSecond = 0;
  while (Date.now() < options.deadline) {
    // The signature over a timestamp is a nonce: each attempt is signed in a new second.
    const second = Math.max(Math.floor(Date.now() / 1000), lastSecond + 1);
    await sleep(second * 1000 - Date.now());
    lastSecond = second;
    const urls = options.liveUrls();
    const url = urls[Math.floor(options.random.next() * urls.length)];
    if (!url) {
      await sleep(100);
      continue;
    }
    let answer = "network";
    try {
      const res = await fetch(`${url}/webhooks/api`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [TIMESTAMP_HEADER]: String(second),
          "x-mainstay-signature": signGenericBody(options.secret, body, second),
        },
        body,
        signal: AbortSignal.timeout(5000),
      });
      answer = String(res.status);
      const json = (await res.json().catch(() => ({}))) as {
        conversationId?: string;
        queued?: boolean;
      };
      if (res.ok && (json.conversationId || json.queued)) {
        answers[answer] = (answers[answer] ?? 0) + 1;
        return json.conversationId ? { conversationId: json.conversationId } : {};
      }
    } catch {
      // The instance died or hung: the call goes to another.
    }
    answers[answer] = (answers[answer] ?? 0) + 1;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
