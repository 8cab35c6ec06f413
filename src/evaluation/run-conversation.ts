import {
  type AgentReply,
  type AgentTurn,
  DEFAULT_HANDOFF_TEXT,
  negativeStreak,
  type ToolCall,
} from "../agents/index.ts";
import type { Screening } from "../conversations/index.ts";
import { createGuard, policySchema } from "../guardrails/index.ts";
import { describeError } from "../shared/errors.ts";
import type { EvalTarget, TurnSettings } from "./eval-target.ts";

/** A guardrail finding on a turn, on the customer's message or on the reply. */
export interface TurnFinding {
  direction: "inbound" | "outbound";
  type: string;
  rule: string;
}

/** One customer message and what production would have done with it. */
export interface TurnRecord {
  /** The customer's message, redacted as the inbound policy stores it. */
  customer: string;
  /** What the agent wrote, before the outbound policy (absent when it was not asked). */
  draft?: string;
  /** What the customer receives ("" when nothing is sent). */
  reply: string;
  /** Who the reply is from: the agent, Mainstay itself (policy, handoff), or nobody. */
  author: "agent" | "system" | null;
  /** The guardrail action that decided the reply (`allow` when no rule acted). */
  action: Screening["action"];
  findings: TurnFinding[];
  /** Why the conversation went to a person on this turn. */
  handoff: string | null;
  toolCalls: ToolCall[];
  latencyMs: number;
  /** USD; 0 without token usage, null when the model's price is unknown. */
  cost: number | null;
  provider?: string;
  model?: string;
  error?: string;
  /** Why the agent was not asked (opted out, with a person, policy). */
  note?: string;
}

export interface ConversationScript {
  channel: string;
  contactId: string;
  turns: string[];
}

// Production's consent gate runs before the agent whatever the policy says; mirrored here.
const consentGuard = createGuard(
  policySchema.parse({
    rules: [{ id: "consent", detector: "consent", directions: ["inbound"], action: "tag" }],
  }),
);

/** Longest turn text given to the agent as history, as the runtime cuts it. */
const MAX_TURN_CHARS = 500;
const HISTORY_LIMIT = 20;

/**
 * Play a scripted conversation against a target the way the production pipeline answers:
 * consent gate, inbound policy, frustration handoff, the agent with a timeout, outbound
 * policy, and no bot answer once a person has taken over. Nothing is stored.
 */
export async function runConversation(
  target: EvalTarget,
  script: ConversationScript,
  settings: TurnSettings,
): Promise<TurnRecord[]> {
  const history: AgentTurn[] = [];
  const said: string[] = [];
  const records: TurnRecord[] = [];
  let withPerson = false;
  let optedOut = false;
  for (const customer of script.turns) {
    const base = { customer, reply: "", author: null, action: "allow" as const, handoff: null };
    const empty = { ...base, findings: [], toolCalls: [], latencyMs: 0, cost: 0 };
    const consent = consentGuard.check({ direction: "inbound", channel: "any", text: customer })
      .findings[0]?.type;
    if (consent === "consent.opt_out" || (optedOut && consent !== "consent.opt_in")) {
      optedOut = true;
      records.push({ ...empty, note: "opted out: the consent gate answers, not the agent" });
      continue;
    }
    if (optedOut || consent === "consent.help") {
      optedOut = false;
      records.push({ ...empty, note: `${consent}: the consent gate answers, not the agent` });
      continue;
    }
    if (withPerson) {
      records.push({
        ...empty,
        note: "with a person since the handoff: the agent does not answer",
      });
      continue;
    }
    const record = await runTurn(target, script, { customer, history, said }, settings);
    records.push(record);
    history.push({ role: "customer", text: bound(record.customer) });
    if (record.author) history.push({ role: record.author, text: bound(record.reply) });
    if (record.handoff) withPerson = true;
  }
  return records;
}

/** Where a turn happens: the channel type and the customer. */
export type TurnPlace = Pick<ConversationScript, "channel" | "contactId">;

/**
 * One customer message answered as the runtime would, given the conversation so far
 * (`history` for the agent, `said`: the customer's earlier messages, for frustration).
 * The message is appended to `said`.
 */
export async function runTurn(
  target: EvalTarget,
  script: TurnPlace,
  turn: { customer: string; history: AgentTurn[]; said: string[] },
  settings: TurnSettings,
): Promise<TurnRecord> {
  const inbound = target.screenInbound?.({
    direction: "inbound",
    channel: script.channel,
    text: turn.customer,
  });
  // The agent sees what production stores: the message with redaction rules applied.
  const text = inbound ? inbound.redacted : turn.customer;
  turn.said.push(text);
  const findings = findingsOf("inbound", inbound);
  const base = { customer: text, findings, toolCalls: [], latencyMs: 0, cost: 0 };
  const handoffText = target.handoffText ?? DEFAULT_HANDOFF_TEXT;
  const rule = inbound?.rule ?? "policy";
  if (inbound?.action === "escalate") {
    const handoff = `guardrail:${rule}`;
    return { ...base, reply: handoffText, author: "system", action: "escalate", handoff };
  }
  if (inbound?.action === "block" || inbound?.action === "fallback") {
    return {
      ...base,
      reply: inbound.reply ?? "",
      author: "system",
      action: inbound.action,
      handoff: null,
    };
  }
  if (negativeStreak(turn.said, target.negativeSentimentStreak ?? 3)) {
    const handoff = "negative_sentiment";
    return { ...base, reply: handoffText, author: "system", action: "allow", handoff };
  }
  const context = {
    conversationId: `eval-${script.contactId}`,
    contactId: script.contactId,
    channel: script.channel,
    history: turn.history.slice(-HISTORY_LIMIT),
    text,
  };
  const started = settings.clock.now();
  let reply: AgentReply;
  try {
    reply = await target.agent.respond(context, AbortSignal.timeout(settings.timeoutMs));
  } catch (e) {
    // Production retries, then hands off with `agent_failure` once the job is dead.
    const latencyMs = settings.clock.now() - started;
    const failed = { reply: handoffText, author: "system" as const, handoff: "agent_failure" };
    return { ...base, ...failed, action: "allow", latencyMs, error: describeError(e) };
  }
  const latencyMs = settings.clock.now() - started;
  return screenReply(
    target,
    script,
    reply,
    { ...base, latencyMs, history: turn.history },
    settings,
  );
}

function screenReply(
  target: EvalTarget,
  script: TurnPlace,
  reply: AgentReply,
  turn: { customer: string; findings: TurnFinding[]; latencyMs: number; history: AgentTurn[] },
  settings: TurnSettings,
): TurnRecord {
  const provider = stringOf(reply.meta?.["provider"]);
  const model = stringOf(reply.meta?.["model"]);
  const cost = reply.usage
    ? (settings.costOf?.(reply.usage, provider ?? "", model ?? "") ?? null)
    : 0;
  const screening = target.screenOutbound?.({
    direction: "outbound",
    channel: script.channel,
    text: reply.text,
    context: { firstOutbound: !turn.history.some((t) => t.role !== "customer") },
  });
  const record: TurnRecord = {
    customer: turn.customer,
    draft: reply.text,
    reply: reply.text,
    author: "agent",
    action: screening?.action ?? "allow",
    findings: [...turn.findings, ...findingsOf("outbound", screening)],
    handoff: reply.handoff?.reason ?? null,
    toolCalls: reply.toolCalls ?? [],
    latencyMs: turn.latencyMs,
    cost,
    ...(provider ? { provider } : {}),
    ...(model ? { model } : {}),
  };
  if (!screening) return record;
  switch (screening.action) {
    case "block":
    case "fallback":
      return { ...record, reply: screening.reply ?? "" };
    case "escalate":
      return {
        ...record,
        reply: target.handoffText ?? DEFAULT_HANDOFF_TEXT,
        handoff: `guardrail:${screening.rule ?? "policy"}`,
      };
    default:
      return { ...record, reply: screening.text };
  }
}

function findingsOf(direction: TurnFinding["direction"], screening?: Screening): TurnFinding[] {
  return (screening?.findings ?? []).map((f) => ({ direction, type: f.type, rule: f.rule }));
}

const stringOf = (v: unknown) => (typeof v === "string" ? v : undefined);

function bound(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_TURN_CHARS ? text : `${chars.slice(0, MAX_TURN_CHARS - 1).join("")}…`;
}
