import type { TurnRecord } from "../evaluation/index.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import { sandboxChannelFor } from "./sandbox/sandbox-channel.ts";
import {
  type SandboxCustomer,
  sandboxCustomer,
  type TurnWait,
} from "./sandbox/sandbox-customer.ts";
import type { Sandbox } from "./sandbox/start-sandbox.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { Ending, SimulatedCustomer } from "./simulated-customer.ts";

export interface SimulatedConversation {
  turns: TurnRecord[];
  ending: Ending;
  /** The customer model failed, or a turn did not settle; the conversation stopped there. */
  error?: string;
}

/**
 * One conversation between a simulated customer and a sandbox, through the production
 * pipeline: each customer line goes in at the channel's front door (a signed webhook), the
 * sandbox answers it as a server would (consent, policies, limits, the agent and its tools,
 * handoff, delivery rules), and the customer reads what was delivered to them, until they
 * are done or give up, a person takes over, or `maxTurns` lines have been answered.
 */
export async function simulateConversation(
  scenario: Scenario,
  sandbox: Sandbox,
  customer: SimulatedCustomer,
  wait: TurnWait,
): Promise<SimulatedConversation> {
  const { channel } = sandboxChannelFor(scenario.channel);
  const line: SandboxCustomer = sandboxCustomer(sandbox, channel, {
    ...(scenario.contact?.name ? { name: scenario.contact.name } : {}),
    wait,
  });
  const session = customer.start(scenario);
  const turns: TurnRecord[] = [];
  const end = (ending: Ending, error?: string): SimulatedConversation => ({
    turns,
    ending,
    ...(error ? { error } : {}),
  });
  let reply: string | null = null;
  for (let turn = 0; turn < scenario.maxTurns; turn++) {
    let move: Awaited<ReturnType<typeof session.next>>;
    try {
      move = await session.next(reply);
    } catch (e) {
      return end("gave_up", `customer: ${describeError(e)}`);
    }
    if (!move.text) return end(move.leaves ?? "gave_up");
    let answered: Awaited<ReturnType<SandboxCustomer["say"]>>;
    try {
      answered = await line.say(move.text);
    } catch (e) {
      const code = e instanceof MainstayError ? `${e.code}: ` : "";
      return end("stuck", `${code}${describeError(e)}`);
    }
    turns.push(answered.record);
    if (answered.withPerson) return end("handoff");
    if (move.leaves) return end(move.leaves);
    reply = answered.record.reply;
  }
  return end("max_turns");
}
