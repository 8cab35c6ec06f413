import { SpanKind } from "@opentelemetry/api";
import { type AcceptedMessage, isQueued } from "../../conversations/index.ts";
import type { Intake } from "../intake.ts";
import { inActiveSpan } from "./in-active-span.ts";
import { GEN_AI } from "./span-attributes.ts";
import type { Tracing } from "./start-tracing.ts";

/**
 * An `intake <channel>` span (kind server) around each webhook call or chat frame: the
 * signature check, parsing and storing. It is active while the messages are stored, so
 * the `process` jobs they enqueue carry its trace context (see `traceEnqueues`).
 */
export function traceIntake(inner: Intake, tracing: Tracing): Intake {
  return (channel, run) => {
    const attributes = { "mainstay.channel.id": channel.id, "mainstay.channel.type": channel.type };
    const options = { kind: SpanKind.SERVER, attributes };
    return inActiveSpan(tracing.tracer, `intake ${channel.id}`, options, async (span) => {
      const result = await inner(channel, run);
      const stored = result.accepted.filter((m): m is AcceptedMessage => !isQueued(m));
      const duplicates = stored.filter((m) => m.duplicate).length;
      span.setAttributes({
        "mainstay.messages.accepted": result.accepted.length - duplicates,
        "mainstay.messages.duplicate": duplicates,
        "mainstay.receipts": result.statuses.length,
      });
      // Queued messages find their conversation in their job (its span has it).
      const conversations = new Set(stored.map((m) => m.conversationId));
      if (conversations.size === 1) {
        span.setAttribute(GEN_AI.conversationId, [...conversations][0]!);
      }
      return result;
    });
  };
}
