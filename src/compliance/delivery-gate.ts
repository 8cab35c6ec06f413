import { channelTraitsOf } from "../channels/index.ts";
import {
  type ConversationService,
  deliverJobPayload,
  type JobReads,
  jobReads,
} from "../conversations/index.ts";
import { smsSegments } from "../guardrails/index.ts";
import { DeferJobError, type JobHandler, readJobPayload } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import { type Conversation, type Message, messagePurpose } from "../store/index.ts";
import type { ComplianceConfig } from "./compliance-config.ts";
import { refusingEntries } from "./consent-purpose.ts";
import { quietUntil, zoneForAddress } from "./quiet-hours.ts";

export interface DeliveryGateOptions {
  service: ConversationService;
  config: ComplianceConfig;
  clock: Clock;
}

const HOUR = 3_600_000;

/**
 * Wraps the `deliver` job with the rules checked at the moment of sending, so they also
 * hold for messages queued before the rule applied (an opt-out arriving after a reply was
 * queued stops that reply). A refused message is marked failed with the reason and an
 * event; it is never sent.
 */
export function deliveryGate(inner: JobHandler, options: DeliveryGateOptions): JobHandler {
  const { service, config, clock } = options;
  const store = service.store;
  return {
    ...inner,
    async run(job) {
      const { messageId } = readJobPayload(job, deliverJobPayload);
      const reads = jobReads(job, store);
      const message = await reads.message(messageId);
      if (message?.status !== "queued") return inner.run(job);
      const conversation = (await reads.conversation(message.conversationId))!;
      const identity = (await reads.identity(conversation.identityId))!;
      const refusal = await refusalReason(reads, message, conversation, identity.address);
      if (refusal) return refuse(message, refusal);
      holdForQuietHours(message, conversation.channelType, identity.address);
      return inner.run(job);
    },
  };

  async function refusalReason(
    reads: JobReads,
    message: Message,
    conversation: Conversation,
    address: string,
  ) {
    const channelType = conversation.channelType;
    const confirmation = String(message.meta["compliance"] ?? "").endsWith("_confirmation");
    if (!confirmation) {
      const purpose = messagePurpose(message);
      const inForce = await store.consent.inForce({
        contactId: conversation.contactId,
        channelId: message.channelId,
        address,
      });
      const refusing = refusingEntries(inForce, purpose)[0];
      if (refusing) {
        const where = refusing.scope === "all" ? "on every channel" : "on this channel";
        return {
          code: "MS_OPTED_OUT",
          text: `the recipient opted out of ${refusing.purpose} messages ${where} (consent entry ${refusing.seq})`,
        };
      }
    }
    const traits = channelTraitsOf(channelType);
    if (traits?.replyWindowHours !== undefined && !message.meta["template"]) {
      const hours = config.whatsappWindowHours ?? traits.replyWindowHours;
      const last = await reads.latestInbound(message.conversationId);
      if (!last || clock.now() - last.createdAt > hours * HOUR) {
        return {
          code: "MS_WHATSAPP_WINDOW_CLOSED",
          text: `the customer last wrote over ${hours} h ago; ${channelType} only allows an approved template (meta.template) now`,
        };
      }
    }
    // Delivered as SMS: segments cost money and carriers cap length.
    if (traits?.sms) {
      const { segments, encoding } = smsSegments(message.text);
      if (segments > config.smsMaxSegments) {
        return {
          code: "MS_SMS_TOO_LONG",
          text: `${segments} ${encoding} segments is over the budget of ${config.smsMaxSegments}`,
        };
      }
    }
    return undefined;
  }

  /** Throws DeferJobError while the contact's quiet hours hold for this message. */
  function holdForQuietHours(message: Message, channelType: string, address: string) {
    const quiet = config.quietHours;
    const compliance = message.meta["compliance"] !== undefined;
    const reply = message.meta["inReplyTo"] !== undefined;
    if (!quiet || compliance || (reply && !quiet.replies)) return;
    const zone = zoneOf(channelType, address) ?? quiet.defaultTimeZone;
    const until = quietUntil(clock.now(), zone, quiet);
    if (until !== undefined) {
      throw new DeferJobError(`held for quiet hours in ${zone}`, until);
    }
  }

  /** The contact's zone from a phone address; a chat id or an email says nothing. */
  function zoneOf(channelType: string, address: string): string | undefined {
    const kind = channelTraitsOf(channelType)?.addresses ?? "any";
    if (kind === "phone" || (kind === "any" && address.startsWith("+"))) {
      return zoneForAddress(address);
    }
    return undefined;
  }

  async function refuse(message: Message, reason: { code: string; text: string }) {
    const now = clock.now();
    const error = `${reason.code}: ${reason.text}`;
    await store.transaction(async (tx) => {
      await tx.messages.advanceStatus(message.id, "failed", now, { error });
      await tx.events.append(
        message.conversationId,
        "message.refused",
        { messageId: message.id, code: reason.code, reason: reason.text },
        now,
      );
    });
  }
}
