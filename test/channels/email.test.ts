import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { emailChannel } from "../../src/channels/email/email-channel.ts";
import { stripQuotedReply } from "../../src/channels/email/strip-quoted-reply.ts";
import { ChannelSendError, SIGNATURE_HEADER, signGenericBody } from "../../src/channels/index.ts";
import type { InboundMessage } from "../../src/conversations/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { channelContract, outboundMessage, silentLogger } from "./channel-contract.ts";

const secret = "email-inbound-secret-1234";
const from = "Acme Support <support@acme.example>";
const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));

function eml(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/channels/email/${name}`, import.meta.url));
}

function signed(rawBody: Buffer, signature = signGenericBody(secret, rawBody)) {
  return {
    method: "POST",
    url: "http://127.0.0.1/webhooks/mail",
    headers: { "content-type": "message/rfc822", [SIGNATURE_HEADER]: signature },
    rawBody,
  };
}

function createEmailChannel(smtpUrl: string, options: { sendTimeoutMs?: number } = {}) {
  const config = emailChannel.configSchema.parse({
    id: "mail",
    type: "email",
    smtpUrl,
    from,
    inboundSecret: secret,
    sendTimeoutMs: options.sendTimeoutMs ?? 5000,
  });
  return emailChannel.create(config, { logger: silentLogger, clock });
}

/** Header fields of a raw message, unfolded (RFC 5322 section 2.2.3), keyed lower-case. */
function headersOf(raw: string): Map<string, string> {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  return new Map(
    head.split("\r\n").map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
}

interface SmtpReply {
  code: number;
  message: string;
}

/**
 * A local SMTP server (the `smtp-server` package) that records each message and answers
 * its DATA with whatever `respond` returns, so a test scripts the receiving server.
 */
async function startSmtpServer(respond: (raw: string) => SmtpReply | Promise<SmtpReply>) {
  const delivered: { raw: string; rcptTo: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(Object.assign(new Error("Invalid login"), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        delivered.push({ raw, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
        const reply = await smtp.respond(raw);
        if (reply.code < 400) return callback(null, reply.message);
        callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const smtp = {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    delivered,
    respond,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return smtp;
}

const accepted = (): SmtpReply => ({ code: 250, message: "2.0.0 OK: queued" });

// --- The shared contract --------------------------------------------------------------
//
// The contract scripts an HTTP fake vendor. For email, a relaying SMTP server stands in
// front of it: the channel speaks SMTP to the relay, which hands the message on to the
// fake vendor (so the contract sees the request) and answers DATA from the vendor's
// answer: 2xx -> 250, 408/429/5xx (temporary) -> 451, any other 4xx (refused) -> 550.
let relayUpstream: string | undefined;
const relay = await startSmtpServer(async (raw) => {
  const response = await fetch(`${relayUpstream}/smtp/data`, {
    method: "POST",
    headers: { "content-type": "message/rfc822" },
    body: raw,
  });
  await response.text();
  const status = response.status;
  if (response.ok) return accepted();
  if (status === 408 || status === 429 || status >= 500) {
    return { code: 451, message: "4.3.0 Temporary failure, try again later" };
  }
  return { code: 550, message: "5.1.1 Mailbox unavailable" };
});
after(() => relay.close());

const gmailReply = eml("gmail-reply.eml");

channelContract("email", {
  create(vendorUrl) {
    // The first vendor the contract starts sits behind the relay; any other address is
    // dialled as an SMTP server itself (the contract's unreachable vendor, port 9).
    relayUpstream ??= vendorUrl;
    return createEmailChannel(
      vendorUrl === relayUpstream ? relay.url : `smtp://${new URL(vendorUrl).host}`,
    );
  },
  inbound: () => ({
    request: signed(gmailReply),
    expected: {
      providerMessageId: "<CAJm3Fq1kP9w+o_Yc8vT4M2sDqLx@mail.gmail.com>",
      from: "jane.doe@gmail.example",
      text: "Thanks! Can you send it to my office address instead? It’s 12 Rue de la Paix, Paris.",
    },
  }),
  tampered: () =>
    signed(
      Buffer.from(gmailReply.toString("utf8").replace("office", "home")),
      signGenericBody(secret, gmailReply),
    ),
  sendOk: {
    response: { status: 200, body: "ok" },
    providerMessageId: "<msg_contract_1@acme.example>",
  },
  checkSendRequest(sent, message) {
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, "/smtp/data");
    const headers = headersOf(sent.body);
    assert.equal(headers.get("message-id"), `<${message.id}@acme.example>`);
    assert.equal(headers.get("from"), from);
    assert.equal(headers.get("to"), message.to);
    assert.equal(headers.get("subject"), "Re: your message");
    assert.ok(sent.body.includes(message.text));
  },
  sendRejected: { response: { status: 422, body: {} }, vendorCode: "550" },
  to: "jane.doe@gmail.example",
  retryAfter: false,
});

// --- Sending over SMTP ----------------------------------------------------------------

describe("email channel: sending over SMTP", async () => {
  const smtp = await startSmtpServer(accepted);
  const channel = createEmailChannel(smtp.url);
  const signal = () => AbortSignal.timeout(5000);
  after(() => smtp.close());

  it("delivers a threaded reply with our Message-ID, subject and body", async () => {
    smtp.respond = accepted;
    const message = outboundMessage("jane.doe@gmail.example", {
      id: "msg_0mk2v7x1c0000q8w3e5r7",
      text: "Hi Jane,\nYour order #4471 ships tomorrow — tracking follows.",
      inReplyTo: "<CAJm3Fq0b1xR2=nZ1yq7XbAv5Kd@mail.gmail.com>",
      meta: { subject: "Where is my order #4471?" },
    });
    const result = await channel.send(message, signal());
    assert.equal(result.providerMessageId, "<msg_0mk2v7x1c0000q8w3e5r7@acme.example>");
    const { raw, rcptTo } = smtp.delivered.at(-1)!;
    const headers = headersOf(raw);
    assert.equal(headers.get("message-id"), result.providerMessageId);
    assert.equal(headers.get("in-reply-to"), message.inReplyTo);
    assert.equal(headers.get("references"), message.inReplyTo);
    assert.equal(headers.get("subject"), "Re: Where is my order #4471?");
    assert.equal(headers.get("from"), from);
    assert.equal(headers.get("to"), "jane.doe@gmail.example");
    assert.deepEqual(rcptTo, ["jane.doe@gmail.example"]);
    assert.equal((await simpleParser(raw)).text?.trimEnd(), message.text);
  });

  it("uses the configured subject and no thread headers for a first message", async () => {
    smtp.respond = accepted;
    await channel.send(outboundMessage("jane.doe@gmail.example"), signal());
    const headers = headersOf(smtp.delivered.at(-1)!.raw);
    assert.equal(headers.get("subject"), "Re: your message");
    assert.equal(headers.has("in-reply-to"), false);
    assert.equal(headers.has("references"), false);
  });

  it("keeps a subject that already starts with Re:", async () => {
    smtp.respond = accepted;
    const message = outboundMessage("tom.baker@contoso.example", {
      meta: { subject: "RE: Parcel #8812" },
    });
    await channel.send(message, signal());
    assert.equal(headersOf(smtp.delivered.at(-1)!.raw).get("subject"), "RE: Parcel #8812");
  });

  it("sends the same Message-ID again when a message is retried", async () => {
    smtp.respond = accepted;
    const message = outboundMessage("jane.doe@gmail.example", { id: "msg_retry_1" });
    const first = await channel.send(message, signal());
    const second = await channel.send(message, signal());
    assert.equal(first.providerMessageId, second.providerMessageId);
    const ids = smtp.delivered.slice(-2).map((d) => headersOf(d.raw).get("message-id"));
    assert.deepEqual(ids, ["<msg_retry_1@acme.example>", "<msg_retry_1@acme.example>"]);
  });

  it("retries a 4xx reply (451) and gives up on a 5xx reply (550), keeping the code", async () => {
    smtp.respond = () => ({ code: 451, message: "4.7.1 Greylisted, try again later" });
    const temporary = await channel.send(outboundMessage("a@b.example"), signal()).catch((e) => e);
    assert.ok(temporary instanceof ChannelSendError);
    assert.equal(temporary.retryable, true);
    assert.equal(temporary.options.vendorCode, "451");

    smtp.respond = () => ({ code: 550, message: "5.1.1 User unknown" });
    const permanent = await channel.send(outboundMessage("a@b.example"), signal()).catch((e) => e);
    assert.ok(permanent instanceof ChannelSendError);
    assert.equal(permanent.retryable, false);
    assert.equal(permanent.options.vendorCode, "550");
    assert.match(permanent.message, /User unknown/);
  });

  it("retries a send that times out or is cancelled", async () => {
    let release = () => {};
    smtp.respond = () => new Promise((resolve) => (release = () => resolve(accepted())));
    try {
      const slow = createEmailChannel(smtp.url, { sendTimeoutMs: 200 });
      const timedOut = await slow.send(outboundMessage("a@b.example"), signal()).catch((e) => e);
      assert.ok(timedOut instanceof ChannelSendError && timedOut.retryable);
      release();

      const cancel = new AbortController();
      const pending = channel.send(outboundMessage("a@b.example"), cancel.signal);
      setTimeout(() => cancel.abort(), 50);
      const cancelled = await pending.catch((e) => e);
      assert.ok(cancelled instanceof ChannelSendError && cancelled.retryable);
    } finally {
      release();
    }
  });

  it("retries when the SMTP server refuses our login", async () => {
    const url = smtp.url.replace("smtp://", "smtp://support:wrong-password@");
    const error = await createEmailChannel(url)
      .send(outboundMessage("a@b.example"), signal())
      .catch((e) => e);
    assert.ok(error instanceof ChannelSendError && error.retryable);
    assert.match(error.message, /EAUTH/);
  });

  // The contract's 429 case asks for Retry-After; SMTP has no such field (RFC 5321 4xx
  // replies carry only a code and text), so the equivalent here is a temporary 421.
  it("retries a 421 service-unavailable reply without inventing a delay", async () => {
    smtp.respond = () => ({ code: 421, message: "4.3.2 Service not available, try later" });
    const error = await channel.send(outboundMessage("a@b.example"), signal()).catch((e) => e);
    assert.ok(error instanceof ChannelSendError);
    assert.equal(error.retryable, true);
    assert.equal(error.options.retryAfterMs, undefined);
  });

  it("threads end to end: the customer's reply references our Message-ID", async () => {
    smtp.respond = accepted;
    // gmail-reply.eml answers this message: its In-Reply-To is our Message-ID.
    const message = outboundMessage("jane.doe@gmail.example", { id: "msg_0mk2v7x1c0000q8w3e5r7" });
    const { providerMessageId } = await channel.send(message, signal());
    const sentId = headersOf(smtp.delivered.at(-1)!.raw).get("message-id");
    assert.equal(headersOf(gmailReply.toString("utf8")).get("in-reply-to"), sentId);
    const { messages } = await channel.handleWebhook!(signed(gmailReply));
    assert.equal(messages[0]!.references![0], providerMessageId);
  });
});

// --- Receiving ------------------------------------------------------------------------

describe("email channel: inbound messages", () => {
  const channel = createEmailChannel("smtp://127.0.0.1:9");
  const receive = async (name: string) => {
    const { messages } = await channel.handleWebhook!(signed(eml(name)));
    assert.equal(messages.length, 1);
    return messages[0]!;
  };

  const cases: [string, Partial<InboundMessage>][] = [
    [
      "gmail-reply.eml",
      {
        from: "jane.doe@gmail.example",
        displayName: "Jane Doe",
        text: "Thanks! Can you send it to my office address instead? It’s 12 Rue de la Paix, Paris.",
        meta: { subject: "Re: Where is my order #4471?" },
        references: [
          "<msg_0mk2v7x1c0000q8w3e5r7@acme.example>",
          "<CAJm3Fq0b1xR2=nZ1yq7XbAv5Kd@mail.gmail.com>",
        ],
      },
    ],
    [
      "outlook-reply.eml",
      {
        providerMessageId:
          "<DB9PR08MB6588C1E2F3A4B5C6D7E8F9A0B1C2D@DB9PR08MB6588.eurprd08.prod.outlook.com>",
        from: "tom.baker@contoso.example",
        text: "Hello,\n\nThe parcel arrived damaged. I would like a replacement please.\n\nKind regards,\nTom Baker",
        meta: { subject: "RE: Parcel #8812" },
        references: ["<msg_0mk2v7zq90000a1s2d3f4@acme.example>"],
      },
    ],
    [
      "outlook-web-reply.eml",
      {
        from: "priya.nair@outlook.example",
        text: "Please cancel it at the end of this month.",
        references: ["<msg_0mk2w1b2c0000z9x8c7v6@acme.example>"],
      },
    ],
    [
      "apple-mail-reply.eml",
      {
        providerMessageId: "<6D4E2B1A-7C3F-4B8E-9A1D-2F5E8C0B7A93@icloud.example>",
        from: "ana.souza@icloud.example",
        displayName: "Ana Souza",
        text: "Perfect, thank you! When will it show on my card?",
        references: ["<msg_0mk2v8a4d0000h2j4k6l8@acme.example>"],
      },
    ],
    [
      "html-only.eml",
      {
        from: "chris.lee@mail.example",
        displayName: "Lee, Chris",
        // &nbsp; stays a no-break space
        text: "Can we move the booking to Friday at 3\u00a0pm?\n\nThanks,\nChris",
        references: ["<msg_0mk2x4e5f0000m1n2b3v4@acme.example>"],
      },
    ],
    [
      "attachment.eml",
      {
        text: "Here is a photo of the damaged box.",
        attachments: [
          {
            url: "email-attachment:8feea4e2ac428d1b5bda8b7ec9955825",
            contentType: "image/png",
            name: "box.png",
            size: 70,
          },
        ],
        references: [],
      },
    ],
  ];
  for (const [name, expected] of cases) {
    it(`parses and strips ${name}`, async () => {
      const message = await receive(name);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(message[key as keyof InboundMessage], value, key);
      }
    });
  }

  it("answers 202 with the stored message", () => {
    const response = channel.webhookResponse!([
      { conversationId: "conv_1", messageId: "msg_1", duplicate: true },
    ]);
    assert.deepEqual(response, {
      status: 202,
      body: { conversationId: "conv_1", messageId: "msg_1", duplicate: true },
    });
  });

  for (const name of ["auto-reply.eml", "bounce.eml"]) {
    it(`ignores automatic mail (${name}) so no agent answers it`, async () => {
      const result = await channel.handleWebhook!(signed(eml(name)));
      assert.deepEqual(result, { messages: [], statuses: [] });
      assert.deepEqual(channel.webhookResponse!([]), { status: 202, body: { ignored: true } });
    });
  }

  it("requires the signature header", async () => {
    const request = signed(gmailReply);
    delete (request.headers as Record<string, string | undefined>)[SIGNATURE_HEADER];
    await assert.rejects(
      async () => channel.handleWebhook!(request),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_SIGNATURE_MISSING",
    );
  });

  it("rejects a signed body that is not an email with 400", async () => {
    const body = Buffer.from(JSON.stringify({ id: "x", from: "y", text: "hi" }));
    await assert.rejects(
      async () => channel.handleWebhook!(signed(body)),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_BAD_REQUEST" && e.status === 400,
    );
  });
});

describe("stripQuotedReply", () => {
  it("keeps answers written between quoted lines", () => {
    const text = [
      "On Mon, 5 Jan 2026 at 10:02, Acme <support@acme.example> wrote:",
      "> Which size?",
      "Medium.",
      "> Which colour?",
      "Blue.",
    ].join("\n");
    assert.equal(stripQuotedReply(text), "Medium.\nBlue.");
  });

  it("keeps the customer's own 'On ... wrote:' sentence, which has no date", () => {
    assert.equal(
      stripQuotedReply("On Monday I wrote:\nthe box was open."),
      "On Monday I wrote:\nthe box was open.",
    );
  });

  it("drops an RFC 3676 signature and mobile footers", () => {
    assert.equal(stripQuotedReply("Yes please.\n\n-- \nSam\nAcme Fan Club"), "Yes please.");
    assert.equal(stripQuotedReply("Yes please.\n\nSent from my iPad"), "Yes please.");
  });

  it("never turns a non-empty message into an empty one", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(text.trim() !== "");
        return stripQuotedReply(text) !== "";
      }),
    );
    assert.equal(stripQuotedReply("> only a quote"), "> only a quote");
  });
});

describe("email channel config", () => {
  const base = { id: "mail", type: "email", from, inboundSecret: secret };
  it("fills the defaults", () => {
    const config = emailChannel.configSchema.parse({
      ...base,
      smtpUrl: "smtps://u:p@smtp.example",
    });
    assert.equal(config.subject, "Re: your message");
    assert.equal(config.sendTimeoutMs, 15_000);
  });

  it("rejects a non-SMTP URL, a malformed sender and a short secret", () => {
    const bad = [
      { ...base, smtpUrl: "https://smtp.example" },
      { ...base, smtpUrl: "smtp://smtp.example", from: "Acme support@acme.example" },
      { ...base, smtpUrl: "smtp://smtp.example", inboundSecret: "short" },
    ];
    for (const config of bad)
      assert.equal(emailChannel.configSchema.safeParse(config).success, false);
  });
});
