import { type Channel, ChannelSendError } from "../../channels/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { boundedLabel } from "./bounded-label.ts";
import type { MainstayMetrics } from "./mainstay-metrics.ts";

/** Distinct vendor error codes kept per process; later ones count as `other`. */
const VENDOR_CODES_CAP = 50;

/**
 * The channels as the delivery handler sees them (it only sends), each send counted by
 * outcome, timed, and its failure counted by the vendor's error code.
 */
export function meterSends(
  channels: ReadonlyMap<string, Channel>,
  metrics: MainstayMetrics,
  clock: Clock,
): ReadonlyMap<string, Channel> {
  const codeLabel = boundedLabel(VENDOR_CODES_CAP);
  const metered = new Map<string, Channel>();
  for (const [id, channel] of channels) {
    const labels = { channel: channel.id, channel_type: channel.type };
    metered.set(id, {
      id: channel.id,
      type: channel.type,
      async send(message, signal) {
        const started = performance.now();
        try {
          const result = await channel.send(message, signal);
          metrics.deliveryAttempts.inc({ ...labels, outcome: "sent" });
          metrics.deliveryLatency.observe(labels, (clock.now() - message.createdAt) / 1000);
          return result;
        } catch (e) {
          const permanent = e instanceof ChannelSendError && !e.retryable;
          const outcome = permanent ? "permanent_error" : "retryable_error";
          metrics.deliveryAttempts.inc({ ...labels, outcome });
          const code =
            e instanceof ChannelSendError ? (e.options.vendorCode ?? "none") : "internal";
          metrics.deliveryFailures.inc({ ...labels, code: codeLabel(code) });
          throw e;
        } finally {
          metrics.deliveryDuration.observe(labels, (performance.now() - started) / 1000);
        }
      },
    });
  }
  return metered;
}
