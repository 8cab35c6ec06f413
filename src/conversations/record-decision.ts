import type { Repositories } from "../store/index.ts";
import type { ScreeningRecord } from "./types.ts";

/**
 * The audit event for a guardrail decision on a message (`guardrail.decision`): which rules
 * fired on which spans. Nothing is recorded when no rule fired.
 */
export async function recordDecision(
  tx: Repositories,
  conversationId: string,
  decision: { direction: "inbound" | "outbound"; messageId: string; record: ScreeningRecord },
  now: number,
): Promise<void> {
  if (decision.record.findings.length === 0) return;
  const { direction, messageId, record } = decision;
  await tx.events.append(
    conversationId,
    "guardrail.decision",
    { direction, messageId, ...record },
    now,
  );
}
