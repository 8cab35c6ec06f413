/**
 * What one agent turn did, step by step, for the people who debug it: the prompt, the
 * knowledge it retrieved, the tools it called, each provider attempt. Agents and the
 * middleware around their providers write steps through the `TurnTracer` the runtime puts on
 * the turn's context (and each chat request); the runtime stores them with the turn.
 */
export type TraceStep =
  | {
      kind: "prompt";
      /** The system prompt as sent, variables filled in. */
      system: string;
      variables: Record<string, string>;
      /** Earlier turns given as context. */
      history: number;
      tools: string[];
    }
  | {
      kind: "knowledge";
      query: string;
      entries: { id: string; question: string; score: number }[];
    }
  | {
      kind: "tool";
      name: string;
      arguments: string;
      result: string;
      status: string;
      ms: number;
    }
  | {
      kind: "provider";
      provider: string;
      model: string;
      /** `skipped`: its circuit breaker was open, nothing was sent. */
      outcome: "ok" | "error" | "skipped";
      ms: number;
      error?: string;
      tokens?: { input: number; output: number };
    }
  | { kind: "handoff"; reason: string; detail?: string };

/** A step as stored: when it ended, in ms since the turn started. */
export type TracedStep = TraceStep & { at: number };

export interface TurnTracer {
  step(step: TraceStep): void;
}

/**
 * A policy's redact rules applied to text the trace keeps (`check`, not metered, no model
 * tier): what a redact rule keeps out of stored messages stays out of traces too.
 */
export type RedactText = (text: string, channel: string) => string;

/** Longest text kept in a step's field: a trace explains a turn, it does not archive it. */
export const TRACE_TEXT_LIMIT = 2000;

/** Collects a turn's steps against the clock it started on. */
export function turnTracer(now: () => number): TurnTracer & { steps: TracedStep[] } {
  const started = now();
  const steps: TracedStep[] = [];
  return {
    steps,
    step(step) {
      steps.push({ ...step, at: now() - started });
    },
  };
}

/** `text` cut to the trace limit, marked where it was cut. */
export function traceText(text: string): string {
  return text.length <= TRACE_TEXT_LIMIT ? text : `${text.slice(0, TRACE_TEXT_LIMIT)}…`;
}
