import {
  type ChannelType,
  channelTraitsOf,
  SIGNATURE_HEADER,
  signGenericBody,
  twilioSignature,
} from "../../channels/index.ts";
import type { CapturedRequest } from "./capture-server.ts";

/** One customer line as a channel's front door takes it. */
export interface CustomerLine {
  address: string;
  text: string;
  /** Unique in the sandbox: the vendor's message id. */
  id: string;
  /** The customer's name, where the channel carries one. */
  name?: string;
}

/** What the door answered: anything but 2xx means the message was not taken. */
export interface DoorAnswer {
  status: number;
  body: string;
}

/**
 * How a sandbox runs one channel type: its config entry (sends go to the capture server),
 * new customer addresses, inbound in the vendor's own signed format, and the replies read
 * back from what the capture server received.
 */
export interface SandboxChannel {
  type: ChannelType;
  /** Its channel id in the sandbox; webhooks arrive at `/webhooks/<id>`. */
  id: string;
  config(capture: string, secret: string): Record<string, unknown>;
  address(n: number): string;
  post(url: string, secret: string, line: CustomerLine): Promise<DoorAnswer>;
  /** The reply a captured request carries, when it is a send of this channel. */
  sendOf(request: CapturedRequest): { to: string; text: string } | undefined;
  /** The vendor's answer to a send. */
  acknowledge(request: CapturedRequest, n: number): { status: number; body: unknown } | undefined;
}

const generic: SandboxChannel = {
  type: "generic",
  id: "sim-generic",
  config: (capture, secret) => ({
    id: "sim-generic",
    type: "generic",
    secret,
    callbackUrl: `${capture}/generic`,
  }),
  address: (n) => `sim-customer-${n}`,
  async post(url, secret, line) {
    const body = JSON.stringify({
      id: line.id,
      from: line.address,
      text: line.text,
      ...(line.name ? { name: line.name } : {}),
    });
    return answerOf(
      await fetch(`${url}/webhooks/sim-generic`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signGenericBody(secret, body),
        },
        body,
      }),
    );
  },
  sendOf(request) {
    if (!request.url.startsWith("/generic")) return undefined;
    const sent = JSON.parse(request.body) as { to: string; text: string };
    return { to: sent.to, text: sent.text };
  },
  acknowledge: (request) =>
    request.url.startsWith("/generic") ? { status: 200, body: {} } : undefined,
};

// Twilio's test credentials have this shape; nothing reaches Twilio (apiBase is the capture server).
const ACCOUNT_SID = `AC${"0".repeat(32)}`;
const TWILIO_NUMBER = "+15005550006";

const twilio: SandboxChannel = {
  type: "twilio",
  id: "sim-twilio",
  config: (capture, secret) => ({
    id: "sim-twilio",
    type: "twilio",
    accountSid: ACCOUNT_SID,
    authToken: secret,
    from: TWILIO_NUMBER,
    apiBase: `${capture}/twilio`,
    statusCallbacks: false,
  }),
  // 555-01xx-style fiction: US numbers in the 202-555 range are not assigned to customers.
  address: (n) => `+1202555${String(n).padStart(4, "0")}`,
  async post(url, secret, line) {
    const webhook = `${url}/webhooks/sim-twilio`;
    const params: [string, string][] = [
      ["MessageSid", `SM${line.id}`],
      ["AccountSid", ACCOUNT_SID],
      ["From", line.address],
      ["To", TWILIO_NUMBER],
      ["Body", line.text],
      ["NumMedia", "0"],
    ];
    return answerOf(
      await fetch(webhook, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilioSignature(secret, webhook, params),
        },
        body: new URLSearchParams(params).toString(),
      }),
    );
  },
  sendOf(request) {
    if (!request.url.startsWith("/twilio/")) return undefined;
    const form = new URLSearchParams(request.body);
    return { to: form.get("To") ?? "", text: form.get("Body") ?? "" };
  },
  acknowledge: (request, n) =>
    request.url.startsWith("/twilio/") ? { status: 201, body: { sid: `SM${n}` } } : undefined,
};

/** The channel types a sandbox runs for real; `sms` is delivered as Twilio SMS. */
const RUNS: Record<string, SandboxChannel> = { generic, twilio, sms: twilio };

export const SANDBOX_CHANNELS: readonly SandboxChannel[] = [generic, twilio];

/**
 * Which sandbox channel plays a scenario's channel, and what of that channel is then not
 * applied: a channel type without a local stand-in runs as generic, so rules scoped to its
 * type and the traits it declares (length cap, reply window...) do not hold.
 */
export function sandboxChannelFor(channel: string): {
  channel: SandboxChannel;
  notApplied: string[];
} {
  const runs = RUNS[channel];
  if (runs) return { channel: runs, notApplied: [] };
  const traits = channelTraitsOf(channel);
  const lost = traits
    ? [
        ...(traits.maxChars !== undefined ? [`its ${traits.maxChars}-character cap`] : []),
        ...(traits.sms ? ["SMS segment limits"] : []),
        ...(traits.replyWindowHours !== undefined
          ? [`the ${traits.replyWindowHours} h reply window`]
          : []),
        ...(traits.showsOperators ? ["operator announcements"] : []),
        ...(traits.confirmsOptOut ? ["the opt-out confirmation"] : []),
      ]
    : [];
  const what = traits ? `${channel}` : `"${channel}" (not a channel type)`;
  return {
    channel: generic,
    notApplied: [
      `${what} ran as a generic channel: policy rules scoped to ${channel} did not apply${lost.length ? `, nor ${lost.join(", ")}` : ""}`,
    ],
  };
}

async function answerOf(response: Response): Promise<DoorAnswer> {
  return { status: response.status, body: await response.text() };
}
