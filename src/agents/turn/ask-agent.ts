import type { ScreenAllTiers } from "../../conversations/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { describeError } from "../../shared/errors.ts";
import type { Agent } from "../agent.ts";
import { type RedactText, type TracedStep, turnTracer } from "../turn-trace.ts";
import { type AgentAnswer, decideReply, type HandoffSettings } from "./decide-turn.ts";
import { type Disclosure, disclose } from "./disclosure.ts";
import type { AgentDecision, TurnInput } from "./turn-facts.ts";

/** How an agent is asked: its serving settings and the runtime's own. */
export interface AskSettings extends HandoffSettings {
  clock: Clock;
  timeoutMs?: number;
  /** The outbound guardrail policy: every reply passes it before it is sent. */
  screen?: ScreenAllTiers;
  /** The AI disclosure the first automated message carries (agent document). */
  disclosure?: Disclosure;
  /** The policy's redact rules for what the turn trace keeps; absent, kept as written. */
  redact?: RedactText;
  costOf?: AgentAnswer["costOf"];
}

/**
 * Asks the agent for its reply to the turn, waiting at most `timeoutMs`, and screens the
 * reply with the outbound policy. A failure or the timeout fails the job, which is retried.
 */
export async function askAgent(
  agent: Agent,
  input: TurnInput,
  settings: AskSettings,
): Promise<AgentDecision> {
  const { conversation, history, turns, inbound } = input;
  const { clock } = settings;
  const started = clock.now();
  const trace = turnTracer(() => clock.now());
  const answered = await agent.respond(
    {
      conversationId: conversation.id,
      contactId: conversation.contactId,
      channel: conversation.channelType,
      history: turns,
      text: inbound.text,
      trace,
    },
    AbortSignal.timeout(settings.timeoutMs ?? 30_000),
  );
  const latencyMs = clock.now() - started;
  // Put in front before screening, so the policy sees the text the customer is sent.
  const disclosed = disclose(answered.text, settings.disclosure, {
    channelType: conversation.channelType,
    history,
    customerText: inbound.text,
  });
  const reply = disclosed
    ? {
        ...answered,
        text: disclosed.text,
        meta: { ...answered.meta, disclosure: disclosed.locale },
      }
    : answered;
  const steps = redactedSteps(trace.steps, settings.redact, conversation.channelType);
  const screening = await settings.screen?.({
    direction: "outbound",
    channel: conversation.channelType,
    text: reply.text,
    context: { firstOutbound: !history.some((m) => m.direction === "outbound") },
  });
  const decision = decideReply(
    { agent, reply, screening, latencyMs, costOf: settings.costOf },
    settings,
  );
  return { ...decision, trace: steps };
}

/**
 * The steps as stored: what tools were given and returned passes the policy's redact rules
 * as the customer's own messages do, so a trace keeps no PII a redact rule keeps out.
 * The prompt and the knowledge entries are the document's own text; the query is the
 * stored (already screened) customer line.
 */
function redactedSteps(
  steps: TracedStep[],
  redact: RedactText | undefined,
  channel: string,
): TracedStep[] {
  if (!redact) return steps;
  return steps.map((step) =>
    step.kind === "tool"
      ? {
          ...step,
          arguments: redact(step.arguments, channel),
          result: redact(step.result, channel),
        }
      : step,
  );
}

/**
 * The agent's decision, or its failure recorded as the turn's `error` instead of failing
 * the job: for an answer no customer waits on (a shadow candidate's).
 */
export async function tryAskAgent(
  agent: Agent,
  input: TurnInput,
  settings: AskSettings,
): Promise<AgentDecision> {
  const started = settings.clock.now();
  try {
    return await askAgent(agent, input, settings);
  } catch (e) {
    return {
      by: "agent",
      text: "",
      turn: {
        agent: { id: agent.id, version: agent.version },
        latencyMs: settings.clock.now() - started,
        provider: null,
        model: null,
        usage: null,
        cost: null,
        fallback: false,
        action: "allow",
        violations: [],
        findings: [],
        error: describeError(e),
      },
      reported: {},
    };
  }
}
