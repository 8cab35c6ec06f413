import { MainstayError } from "../shared/errors.ts";
import type { Scenario } from "./scenario-schema.ts";

/** How a conversation ended from the customer's side (`stuck`: a turn never settled). */
export type Ending = "done" | "gave_up" | "handoff" | "max_turns" | "stuck";

/** The customer's next move: a message to send, and whether they leave after its answer. */
export interface CustomerMove {
  /** Absent when the customer leaves without writing again. */
  text?: string;
  /** `done`: goal met; `gave_up`: the customer stops trying. */
  leaves?: "done" | "gave_up";
}

/** One customer in one conversation: reads the agent's last reply, writes the next line. */
export interface CustomerSession {
  /** `reply` is null before the first message. */
  next(reply: string | null): Promise<CustomerMove>;
}

/** Who plays the customers of a run: a model, or each scenario's script. */
export interface SimulatedCustomer {
  /** `scripted` or `provider/model`, for reports. */
  readonly name: string;
  start(scenario: Scenario): CustomerSession;
}

/**
 * The fallback when no model is configured: the scenario's opening line, then the first
 * unused reply whose `when` matches the agent's reply, else the next `otherwise` line,
 * else the customer gives up. Deterministic, so a run can be repeated exactly.
 */
export const scriptedCustomer: SimulatedCustomer = {
  name: "scripted",
  start(scenario) {
    const script = scenario.script;
    if (!script) {
      throw new MainstayError(
        "MS_SIM_INVALID",
        `${scenario.source}: scenario "${scenario.name}" has no \`script\` and no \`customer\` model is set`,
      );
    }
    const used = new Set<number>();
    const otherwise = [...(script.otherwise ?? [])];
    return {
      async next(reply) {
        if (reply === null) return { text: script.opening };
        const index = script.replies.findIndex(
          (r, i) => !used.has(i) && new RegExp(r.when, "iu").test(reply),
        );
        const rule = script.replies[index];
        if (rule) {
          used.add(index);
          return { text: rule.say, ...(rule.done ? { leaves: "done" as const } : {}) };
        }
        const line = otherwise.shift();
        return line ? { text: line } : { leaves: "gave_up" };
      },
    };
  },
};
