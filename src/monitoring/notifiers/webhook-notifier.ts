import type { EgressFetch } from "../../shared/egress/index.ts";
import { hmacSha256Hex } from "../../shared/hmac.ts";
import type { Digest, Notifier } from "./notification.ts";
import { digestSummary } from "./notification.ts";
import { postJson } from "./post-json.ts";

export interface WebhookDestination {
  url: string;
  /** Signs the body like the generic channel: `X-Mainstay-Signature: sha256=<hex>`. */
  secret: string;
}

/** The digest as JSON, signed with the destination's secret (docs/alerts.md). */
export function webhookBody(digest: Digest): string {
  return JSON.stringify({
    type: "mainstay.notifications",
    id: digest.id,
    summary: digestSummary(digest),
    items: digest.items.map((item) => ({ ...item, at: new Date(item.at).toISOString() })),
    more: digest.more,
  });
}

export function webhookNotifier(destination: WebhookDestination, send?: EgressFetch): Notifier {
  return {
    async send(digest, signal) {
      const body = webhookBody(digest);
      await postJson(
        destination.url,
        body,
        {
          "x-mainstay-signature": `sha256=${hmacSha256Hex(destination.secret, body)}`,
          "idempotency-key": digest.id,
        },
        signal,
        send,
      );
    },
  };
}
