import type { ServingAgent, TurnCompanion } from "../agents/index.ts";
import { traceRecord, turnRecord } from "../agents/index.ts";

/**
 * A shadow step's candidate: it answers every message the baseline is asked, at the same
 * time, screened with its own policy, and is never sent. Its answer is kept as a `shadow`
 * turn on its own outcome row, and costs the candidate's version, never the customer's
 * allowance. A candidate past a spend cap stays quiet; a failing one never touches the
 * customer's answer, and its error is the shadow turn's.
 */
export function shadowCandidate(candidate: ServingAgent, rolloutId: string): TurnCompanion {
  const { agent } = candidate;
  return {
    async join(turn) {
      if (await turn.spendCapped(agent, "shadow_skipped")) return undefined;
      const answer = await turn.tryAnswer(candidate);
      return async (tx, at) => {
        const { conversation, messageId, now } = at;
        const outcome = {
          conversationId: conversation.id,
          agentId: agent.id,
          agentVersion: agent.version,
          shadow: true,
          rolloutId,
          arm: "candidate" as const,
          // Both versions answer every message: a bad outcome is equally likely from
          // either under no difference.
          share: 0.5,
          channelType: conversation.channelType,
        };
        await tx.outcomes.start(outcome, now);
        const record = turnRecord(answer.turn, {
          conversation,
          messageId,
          replyId: null,
          rolloutId,
          handoff: answer.handoff ?? null,
          // What the candidate would have sent: its words when allowed, else the policy's.
          shadowText: answer.text,
          now,
        });
        const trace = traceRecord(record, answer.trace);
        if (trace) await tx.turnTraces.insert(trace);
        await tx.outcomes.recordTurn(record, answer.turn.violations);
        await at.recordSpend(answer.turn, ["version"]);
      };
    },
  };
}
