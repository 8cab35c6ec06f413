import { isQueued } from "../../conversations/index.ts";
import { isMainstayError } from "../../shared/errors.ts";
import type { Intake } from "../intake.ts";
import type { MainstayMetrics } from "./mainstay-metrics.ts";

/** Counts inbound messages (accepted, duplicate, queued), vendor receipts and refused calls. */
export function meterIntake(inner: Intake, metrics: MainstayMetrics): Intake {
  return async (channel, run) => {
    const labels = { channel: channel.id, channel_type: channel.type };
    try {
      const result = await inner(channel, run);
      for (const message of result.accepted) {
        const status = isQueued(message) ? "queued" : message.duplicate ? "duplicate" : "accepted";
        metrics.messagesReceived.inc({ ...labels, status });
      }
      for (const update of result.statuses) {
        metrics.deliveryReceipts.inc({ ...labels, status: update.status });
      }
      return result;
    } catch (e) {
      metrics.intakeErrors.inc({ ...labels, code: isMainstayError(e) ? e.code : "MS_INTERNAL" });
      throw e;
    }
  };
}
