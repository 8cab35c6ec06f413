import type { Agent, AgentReply } from "../agent.ts";
import { traceText } from "../turn-trace.ts";
import { detectIntent } from "./detect-intent.ts";
import type { KnowledgeBase, KnowledgeMatch } from "./knowledge-base.ts";

export interface BuiltinAgentOptions {
  id: string;
  version: string;
  knowledge: KnowledgeBase;
  /** Lowest confidence (0..1) that is answered rather than handed to a person. */
  threshold?: number;
  handoffText?: string;
  greetingText?: string;
  thanksText?: string;
}

/** Calibrated on the example knowledge base; see "Confidence" in docs/builtin-agent.md. */
export const DEFAULT_THRESHOLD = 0.4;
export const DEFAULT_HANDOFF_TEXT =
  "I'm not sure about that one, so I'm bringing in a person from our team. They'll reply here shortly.";
export const DEFAULT_GREETING_TEXT = "Hi! What can I help you with today?";
const TRACED_MATCHES = 3;
export const DEFAULT_THANKS_TEXT = "You're welcome! Is there anything else I can help with?";

/**
 * The offline agent: answers from a knowledge base, greets, and hands off to a person when
 * asked to or when no entry matches well enough. Deterministic and network-free.
 */
export function createBuiltinAgent(options: BuiltinAgentOptions): Agent {
  const {
    knowledge,
    threshold = DEFAULT_THRESHOLD,
    handoffText = DEFAULT_HANDOFF_TEXT,
    greetingText = DEFAULT_GREETING_TEXT,
    thanksText = DEFAULT_THANKS_TEXT,
  } = options;
  return {
    id: options.id,
    version: options.version,
    async respond(context, signal): Promise<AgentReply> {
      signal?.throwIfAborted();
      const { trace } = context;
      const intent = detectIntent(context.text);
      if (intent === "customer_request") {
        trace?.step({ kind: "handoff", reason: "customer_request", detail: "asked for a person" });
        return { text: handoffText, handoff: { reason: "customer_request" } };
      }
      if (intent === "greeting") return { text: greetingText };
      if (intent === "thanks") return { text: thanksText };
      // The runners-up are for the trace: what almost matched tells who tunes the entries.
      const matches = knowledge.search(context.text, trace ? TRACED_MATCHES : 1);
      trace?.step({
        kind: "knowledge",
        query: traceText(context.text),
        entries: matches.map(({ entry, confidence }) => ({
          id: entry.id,
          question: entry.question,
          score: confidence,
        })),
      });
      const [best] = matches;
      if (!best || best.confidence < threshold) {
        const detail = `best match ${(best?.confidence ?? 0).toFixed(2)} < ${threshold}`;
        trace?.step({ kind: "handoff", reason: "low_confidence", detail });
        return {
          text: handoffText,
          handoff: { reason: "low_confidence" },
          confidence: best?.confidence ?? 0,
          // The near miss tells whoever tunes the knowledge base what almost matched.
          ...(best && { meta: matchMeta(best) }),
        };
      }
      return { text: best.entry.answer, confidence: best.confidence, meta: matchMeta(best) };
    },
  };
}

function matchMeta({ entry, confidence }: KnowledgeMatch): Record<string, unknown> {
  return { entryId: entry.id, question: entry.question, score: confidence };
}
