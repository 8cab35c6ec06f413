import type { KnowledgeBase } from "../builtin/index.ts";
import { HANDOFF_REASONS, toHandoffReason } from "../handoff/handoff-reasons.ts";
import type { Tool } from "./tool.ts";

/** What `lookup_contact` may reveal; a store-backed lookup can return more, it is dropped. */
export interface ContactProfile {
  displayName: string | null;
  identities: readonly { channelType: string }[];
}

export type LookupContact = (contactId: string) => Promise<ContactProfile | undefined>;

const NO_ARGUMENTS = { type: "object", properties: {}, additionalProperties: false };

/**
 * Lets the model give the conversation to a person; the agent turns it into a handoff with
 * one of HANDOFF_REASONS. The schema names them but accepts any text, so a model that
 * writes its own words still hands off: they are mapped to a reason and kept as the detail.
 */
export function handoffTool(): Tool {
  return {
    spec: {
      name: "handoff_to_human",
      description:
        "Hand the conversation to a human agent when you cannot help or the customer asks for a person.",
      parameters: {
        type: "object",
        properties: {
          reason: {
            type: "string",
            minLength: 1,
            description: `Why, one of: ${HANDOFF_REASONS.join(", ")}.`,
          },
          detail: { type: "string", description: "A short note for the person taking over." },
        },
        required: ["reason"],
        additionalProperties: false,
      },
    },
    async run(args) {
      const written = String(args["reason"]);
      const reason = toHandoffReason(written);
      const detail = typeof args["detail"] === "string" ? args["detail"] : undefined;
      // The model's own words are kept when they were not the reason's name.
      const said = detail ?? (written.trim().toLowerCase() === reason ? undefined : written);
      return { content: "handing off", handoff: { reason, ...(said && { detail: said }) } };
    },
  };
}

/**
 * The customer of this conversation only (the model cannot ask for another contact), and
 * only their name and channel types: addresses and phone numbers stay out of the prompt.
 */
export function lookupContactTool(lookup: LookupContact): Tool {
  return {
    spec: {
      name: "lookup_contact",
      description: "Look up the customer you are talking to: their name and the channels they use.",
      parameters: NO_ARGUMENTS,
    },
    async run(_args, ctx) {
      const contact = await lookup(ctx.contactId);
      if (!contact) return { content: "no contact record for this customer" };
      const channels = [...new Set(contact.identities.map((i) => i.channelType))];
      return { content: JSON.stringify({ name: contact.displayName, channels }) };
    },
  };
}

/** The same knowledge base the built-in agent answers from, as a tool for an LLM agent. */
export function searchKnowledgeBaseTool(kb: KnowledgeBase): Tool {
  return {
    spec: {
      name: "search_knowledge_base",
      description:
        "Search the company's FAQ. Returns up to 3 entries with a confidence from 0 to 1.",
      parameters: {
        type: "object",
        properties: { query: { type: "string", minLength: 1, description: "What to look up." } },
        required: ["query"],
        additionalProperties: false,
      },
    },
    async run(args) {
      const matches = kb.search(String(args["query"]), 3);
      if (matches.length === 0) return { content: "no matching entries" };
      return {
        content: JSON.stringify(
          matches.map(({ entry, confidence }) => ({
            question: entry.question,
            answer: entry.answer,
            confidence: Math.round(confidence * 100) / 100,
          })),
        ),
      };
    },
  };
}
