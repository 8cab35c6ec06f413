import { SpanKind } from "@opentelemetry/api";
import { type Channel, ChannelSendError } from "../../channels/index.ts";
import { inActiveSpan } from "./in-active-span.ts";
import { GEN_AI } from "./span-attributes.ts";
import type { Tracing } from "./start-tracing.ts";

/** A `send <channel>` span (kind client) around every delivery attempt. */
export function traceSends(
  channels: ReadonlyMap<string, Channel>,
  tracing: Tracing,
): ReadonlyMap<string, Channel> {
  const traced = new Map<string, Channel>();
  for (const [id, channel] of channels) {
    traced.set(id, {
      id: channel.id,
      type: channel.type,
      send(message, signal) {
        const attributes = {
          "mainstay.channel.id": channel.id,
          "mainstay.channel.type": channel.type,
          "mainstay.message.id": message.id,
          [GEN_AI.conversationId]: message.conversationId,
          ...(tracing.captureContent && { "mainstay.message.text": message.text }),
        };
        const name = `send ${channel.id}`;
        const options = { kind: SpanKind.CLIENT, attributes };
        return inActiveSpan(tracing.tracer, name, options, async (span) => {
          try {
            const result = await channel.send(message, signal);
            span.setAttribute("mainstay.delivery.outcome", "sent");
            return result;
          } catch (e) {
            const permanent = e instanceof ChannelSendError && !e.retryable;
            span.setAttribute(
              "mainstay.delivery.outcome",
              permanent ? "permanent_error" : "retryable_error",
            );
            if (e instanceof ChannelSendError && e.options.vendorCode) {
              span.setAttribute("mainstay.delivery.vendor_error_code", e.options.vendorCode);
            }
            throw e;
          }
        });
      },
    });
  }
  return traced;
}
