import { z } from "zod";
import { configNumber } from "../../shared/config-number.ts";
import { parseInput } from "../../shared/parse-input.ts";
import { acceptedResponse } from "../accepted-response.ts";
import type {
  Channel,
  ChannelDefinition,
  ChannelDeps,
  OutboundMessage,
  WebhookRequest,
} from "../channel.ts";
import { jsonBody } from "../json-body.ts";
import { vendorRequest } from "../vendor-request.ts";
import {
  replayWindowFields,
  SIGNATURE_HEADER,
  signGenericBody,
  verifyGenericSignature,
} from "./generic-signature.ts";

const configSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _"),
    type: z.literal("generic"),
    /** Shared secret for `X-Mainstay-Signature` on requests in and out. */
    secret: z.string().min(16, "use at least 16 characters"),
    /** Where replies are POSTed; without it they are only read through the API. */
    callbackUrl: z.url().optional(),
    callbackTimeoutMs: configNumber(z.number().int().positive()).default(10_000),
    ...replayWindowFields,
  })
  .strict();

export type GenericChannelConfig = z.infer<typeof configSchema>;

const inboundSchema = z
  .object({
    id: z.string().min(1).max(200),
    from: z.string().min(1).max(200),
    text: z.string().min(1).max(10_000),
    name: z.string().max(200).optional(),
  })
  .strict();

function parse(request: WebhookRequest) {
  return parseInput(inboundSchema, jsonBody(request.rawBody));
}

async function postCallback(
  config: GenericChannelConfig,
  message: OutboundMessage,
  signal: AbortSignal,
  deps: ChannelDeps,
) {
  const body = JSON.stringify({
    id: message.id,
    conversationId: message.conversationId,
    to: message.to,
    text: message.text,
    attachments: message.attachments,
  });
  await vendorRequest(config.callbackUrl!, {
    headers: {
      "content-type": "application/json",
      "idempotency-key": message.id,
      [SIGNATURE_HEADER]: signGenericBody(config.secret, body),
    },
    body,
    signal: AbortSignal.any([signal, AbortSignal.timeout(config.callbackTimeoutMs)]),
    errorCode: (b) =>
      typeof b === "object" && b !== null && "code" in b ? String(b.code) : undefined,
    fetch: deps.fetch,
    clock: deps.clock,
  });
}

/** Plain JSON in, signed JSON out: for systems without a vendor SDK. */
export const genericChannel: ChannelDefinition<typeof configSchema> = {
  type: "generic",
  traits: {
    // The integrator's own ids; a `+` marks a phone number.
    addresses: "any",
    confirmsOptOut: false,
    receipts: true,
    // Sent with an `idempotency-key` header (docs/channels.md).
    idempotentSends: true,
    // Senders are told to retry a 429 after its Retry-After (docs/channels.md).
    retriesRefused: true,
  },
  configSchema,
  create(config, deps): Channel {
    return {
      id: config.id,
      type: "generic",
      handleWebhook(request) {
        const nonce = verifyGenericSignature(request, {
          ...config,
          secretName: "channel secret",
          now: deps.clock.now(),
        });
        const body = parse(request);
        return {
          messages: [
            {
              providerMessageId: body.id,
              from: body.from,
              text: body.text,
              displayName: body.name,
            },
          ],
          statuses: [],
          ...(nonce ? { nonce } : {}),
        };
      },
      webhookResponse: acceptedResponse,
      async send(message, signal) {
        if (config.callbackUrl) await postCallback(config, message, signal, deps);
        return {};
      },
    };
  },
};
