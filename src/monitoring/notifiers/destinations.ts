import { z } from "zod";
import { configNumber } from "../../shared/config-number.ts";
import type { EgressFetch } from "../../shared/egress/index.ts";
import { emailNotifier } from "./email-notifier.ts";
import type { Notifier } from "./notification.ts";
import { slackNotifier } from "./slack-notifier.ts";
import { webhookNotifier } from "./webhook-notifier.ts";

const name = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _");
const timeoutMs = configNumber(z.number().int().positive()).default(10_000);

/** One `alerts.destinations` entry of mainstay.yaml. */
export const destinationSchema = z.discriminatedUnion("type", [
  z
    .object({
      name,
      type: z.literal("webhook"),
      url: z.url(),
      /** Signs each body: `X-Mainstay-Signature: sha256=<hex HMAC>`. */
      secret: z.string().min(16, "use at least 16 characters"),
      timeoutMs,
    })
    .strict(),
  z
    .object({
      name,
      type: z.literal("slack"),
      /** A Slack incoming-webhook URL (https://hooks.slack.com/services/...). */
      url: z.url(),
      timeoutMs,
    })
    .strict(),
  z
    .object({
      name,
      type: z.literal("email"),
      smtpUrl: z.url({ protocol: /^smtps?$/, hostname: /./, error: "an smtp:// or smtps:// URL" }),
      from: z.string().regex(/@[^\s@<>]+>?$/, 'an address like "mainstay@example.com"'),
      to: z.array(z.email()).min(1),
      timeoutMs,
    })
    .strict(),
]);

export type DestinationConfig = z.output<typeof destinationSchema>;

/** A notifier per destination, each bounded by its own timeout. */
/** `send` is the server's egress `fetch` for the HTTP destinations (webhook, Slack). */
export function createNotifier(destination: DestinationConfig, send?: EgressFetch): Notifier {
  const inner =
    destination.type === "webhook"
      ? webhookNotifier(destination, send)
      : destination.type === "slack"
        ? slackNotifier(destination, send)
        : emailNotifier(destination);
  return {
    send: (digest, signal) =>
      inner.send(digest, AbortSignal.any([signal, AbortSignal.timeout(destination.timeoutMs)])),
  };
}
