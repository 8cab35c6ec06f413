import type { Agent, AgentDocument, AgentReply } from "../agents/index.ts";
import type { ContactProfile, LookupContact } from "../agents/tools/index.ts";
import type { ScreenMessage } from "../conversations/index.ts";
import type { Clock } from "../shared/clock.ts";

/** An agent version as production would serve it: the agent and the settings around it. */
export interface EvalTarget {
  agent: Agent;
  /** The server's policy: every customer message passes it before the agent sees it. */
  screenInbound?: ScreenMessage;
  /** The policy every reply passes: the agent document's own, else the server's. */
  screenOutbound?: ScreenMessage;
  /** Told to the customer when Mainstay (not the agent) hands off. */
  handoffText?: string;
  /** Negative customer messages in a row before a handoff; 0 turns it off (default 3). */
  negativeSentimentStreak?: number;
  /** The agent's system prompt, when it has one: red-teaming looks for it in replies. */
  systemPrompt?: string;
  /** The version's agent document (absent for the built-in agent): its tools, for checks. */
  document?: AgentDocument;
}

export type AgentUsage = NonNullable<AgentReply["usage"]>;

/** How turns are run, whichever version answers. */
export interface TurnSettings {
  clock: Clock;
  /** USD cost of a reply's tokens, or null when the price is unknown. */
  costOf?: (usage: AgentUsage, provider: string, model: string) => number | null;
  /** The longest an agent may take to answer, as the server allows it. */
  timeoutMs: number;
}

/**
 * The customers of an evaluation, by contact id: agents built for it look contacts up
 * here, so `lookup_contact` tells each case's agent about that case's customer.
 */
export interface ContactDirectory {
  lookup: LookupContact;
  add(profile: ContactProfile): string;
}

export function contactDirectory(): ContactDirectory {
  const contacts = new Map<string, ContactProfile>();
  return {
    lookup: async (id) => contacts.get(id),
    add(profile) {
      const id = `eval-contact-${contacts.size + 1}`;
      contacts.set(id, profile);
      return id;
    },
  };
}
