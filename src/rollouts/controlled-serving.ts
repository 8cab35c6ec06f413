import type { AgentCatalog, ServingAgent } from "../agents/index.ts";
import { DEFAULT_HANDOFF_TEXT } from "../agents/index.ts";
import type { AssignAgent } from "../conversations/index.ts";
import type { Conversation, Store } from "../store/index.ts";
import { assignmentFor } from "./assign.ts";
import type { ControlState } from "./control-state.ts";
import { isShadowStep } from "./rollout-spec.ts";
import { shadowCandidate } from "./shadow-candidate.ts";

/**
 * The catalog with the control plane in front of it: a killed agent's conversations go to
 * its fallback, a live rollout's conversations carry the rollout (and, in a shadow step,
 * the candidate answering alongside: `shadowCandidate`), and new conversations are
 * assigned to an arm.
 */
export function controlledCatalog(
  catalog: AgentCatalog,
  control: Pick<ControlState, "killOf" | "rolloutOf">,
  store: Store,
) {
  return {
    /** For the conversation service: picks the version a new conversation starts on. */
    async assign(): Promise<AssignAgent> {
      const active = await catalog.current();
      return assignmentFor(active, control.rolloutOf(active.id));
    },

    async forConversation(conversation: Conversation): Promise<ServingAgent> {
      const kill = control.killOf(conversation.agentId);
      if (kill) {
        const serving = await catalog.forConversation(conversation);
        switch (kill.fallback.type) {
          case "version":
            return catalog.forVersion(kill.fallback.version);
          case "canned":
            return { ...serving, override: { text: kill.fallback.text } };
          case "human":
            return {
              ...serving,
              override: {
                text: serving.handoffText ?? DEFAULT_HANDOFF_TEXT,
                handoff: "agent_killed",
              },
            };
        }
      }
      const serving = await catalog.forConversation(conversation);
      const rollout = control.rolloutOf(conversation.agentId);
      if (!rollout || conversation.agentVersion === null) return serving;
      // Only conversations assigned by this rollout take part in it.
      const outcome = await store.outcomes.getOutcome(conversation.id, conversation.agentVersion);
      if (outcome?.rolloutId !== rollout.record.id) return serving;
      const step = rollout.spec.steps[rollout.record.step]!;
      const inRollout = { ...serving, rolloutId: rollout.record.id };
      if (!isShadowStep(step) || outcome.arm !== "baseline") return inRollout;
      const candidate = await catalog.forVersion(rollout.record.candidate);
      return { ...inRollout, alongside: shadowCandidate(candidate, rollout.record.id) };
    },
  };
}
