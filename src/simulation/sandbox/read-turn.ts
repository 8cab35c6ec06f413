import type { ToolCall, TracedStep } from "../../agents/index.ts";
import type { TurnRecord } from "../../evaluation/index.ts";
import type { ConversationEvent, Message, TurnTraceRecord } from "../../store/index.ts";

/** What the sandbox stored and sent for one customer line. */
export interface StoredTurn {
  /** The conversation's messages since the last turn, oldest first. */
  messages: Message[];
  /** Its events since the last turn, in order. */
  events: ConversationEvent[];
  /** The traces of the agent turns that answered this turn's lines. */
  traces: TurnTraceRecord[];
  /** What the customer received, in order (captured sends to their address). */
  received: string[];
  /** The line as sent, for when the door refused it and nothing was stored. */
  line: string;
  /** Why the door refused the line, when it did. */
  refused?: string;
}

type TurnFinding = TurnRecord["findings"][number];

interface Decision {
  action: TurnRecord["action"];
  findings: { type: string; rule: string }[];
}

/**
 * The turn as the evaluation's checks read it (`TurnRecord`), from what the real runtime
 * recorded: the stored line (redacted as the inbound policy keeps it), what reached the
 * customer, the guardrail decisions kept on each message, the handoff event, and the tool
 * calls of the turn's trace.
 */
export function readTurn(turn: StoredTurn): TurnRecord {
  const inbound = turn.messages.find((m) => m.direction === "inbound");
  const outbound = turn.messages.filter((m) => m.direction === "outbound");
  const decisionIn = decisionOf(inbound);
  const decisionsOut = outbound.map(decisionOf).filter((d) => d !== undefined);
  const first = outbound[0];
  const meta = first?.meta ?? {};
  const handoff = turn.events.find((e) => e.type === "conversation.handoff")?.data["reason"];
  const notes = [
    ...(turn.refused ? [`refused at the door: ${turn.refused}`] : []),
    ...outbound.filter((m) => m.status === "failed").map((m) => `not delivered: ${m.error}`),
    ...outbound.filter((m) => m.status === "queued").map(() => "held: not sent yet"),
    ...(inbound && outbound.length === 0 ? ["nothing was sent back"] : []),
  ];
  const provider = stringOf(meta["provider"]);
  const model = stringOf(meta["model"]);
  const decidedIn = ["block", "fallback", "escalate"].includes(decisionIn?.action ?? "");
  return {
    customer: inbound?.text ?? turn.line,
    reply: turn.received.join("\n"),
    author: first?.author === "agent" || first?.author === "system" ? first.author : null,
    action: (decidedIn ? decisionIn?.action : decisionsOut[0]?.action) ?? "allow",
    findings: [
      ...findingsOf("inbound", decisionIn),
      ...decisionsOut.flatMap((d) => findingsOf("outbound", d)),
    ],
    handoff: typeof handoff === "string" ? handoff : null,
    toolCalls: toolCallsOf(turn.traces),
    latencyMs: typeof meta["latencyMs"] === "number" ? meta["latencyMs"] : 0,
    // As the evaluation counts it: 0 without token usage, null when the price is unknown.
    cost: "usage" in meta ? ((meta["cost"] as number | null | undefined) ?? null) : 0,
    ...(provider ? { provider } : {}),
    ...(model ? { model } : {}),
    ...(notes.length ? { note: notes.join("; ") } : {}),
  };
}

function decisionOf(message: Message | undefined): Decision | undefined {
  const kept = message?.meta["guardrails"];
  return typeof kept === "object" && kept !== null ? (kept as Decision) : undefined;
}

function findingsOf(direction: TurnFinding["direction"], decision?: Decision): TurnFinding[] {
  return (decision?.findings ?? []).map((f) => ({ direction, type: f.type, rule: f.rule }));
}

/** The tool steps of the traces, oldest turn first; arguments as the trace kept them. */
function toolCallsOf(traces: readonly TurnTraceRecord[]): ToolCall[] {
  return [...traces]
    .sort((a, b) => a.createdAt - b.createdAt)
    .flatMap((t) => t.steps as TracedStep[])
    .flatMap((s) =>
      s.kind === "tool" ? [{ name: s.name, arguments: argumentsOf(s.arguments) }] : [],
    );
}

function argumentsOf(kept: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(kept);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    // Cut at the trace's text limit: the call happened, its arguments are not all kept.
    return {};
  }
}

const stringOf = (v: unknown) => (typeof v === "string" ? v : undefined);
