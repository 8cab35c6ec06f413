import type { ScreenAllTiers } from "../conversations/index.ts";
import type { Conversation, Store } from "../store/index.ts";
import type { Agent } from "./agent.ts";
import { type BuildAgentDeps, buildAgent } from "./build-agent.ts";
import type { ServingAgent } from "./serving-agent.ts";
import type { Disclosure } from "./turn/disclosure.ts";
import type { AgentRef } from "./turn/turn-facts.ts";
import type { RedactText } from "./turn-trace.ts";
import {
  type AgentDocument,
  activateAgentVersion,
  getAgentVersion,
  pushAgentVersion,
  versionOf,
} from "./versions/index.ts";

/** Which agent version serves what: new conversations get the active one, and stay on it. */
export interface AgentCatalog {
  current(): Promise<AgentRef>;
  forConversation(conversation: Conversation): Promise<ServingAgent>;
  /** A stored version of the agent, built once (rollout candidates, kill fallbacks). */
  forVersion(version: string): Promise<ServingAgent>;
}

export interface CatalogDeps extends BuildAgentDeps {
  /**
   * The screen for a document's `policy` (`default` or a path relative to the config), and
   * its redact rules for the turn trace.
   */
  policyFor(policy: string): { screen: ScreenAllTiers; redact: RedactText };
}

/** What the `agent` setting names, read and checked (see `readAgentSource` in main.ts). */
export type AgentSource =
  | { type: "builtin"; agent: Agent; disclosure?: Disclosure }
  | { type: "document"; file: string; source: string; document: AgentDocument };

/**
 * The built-in agent from mainstay.yaml is one fixed agent. An agent document is pushed as
 * a version and activated at start (the file is the desired state); versions pushed and
 * activated later through the API serve new conversations from then on, and each
 * conversation keeps the version it started with.
 */
export async function openAgentCatalog(
  agentSource: AgentSource,
  store: Store,
  deps: CatalogDeps,
): Promise<AgentCatalog> {
  // Every agent served, whatever built it, is observed (metrics, traces) when main.ts asks.
  const observe = (agent: Agent) => deps.observer?.agent(agent) ?? agent;
  if (agentSource.type === "builtin") {
    const serving: ServingAgent = {
      agent: observe(agentSource.agent),
      ...(agentSource.disclosure && { disclosure: agentSource.disclosure }),
    };
    return {
      current: async () => ({ id: serving.agent.id, version: serving.agent.version }),
      forConversation: async () => serving,
      forVersion: async () => serving,
    };
  }
  const serve = (document: AgentDocument, version: string): ServingAgent => ({
    agent: observe(buildAgent(document, version, deps)),
    ...(document.policy && deps.policyFor(document.policy)),
    handoffText: document.handoff.message,
    negativeSentimentStreak: document.handoff.negativeSentimentStreak,
    ...(document.disclosure && { disclosure: document.disclosure }),
  });
  // Built before it is activated: a document that cannot run (an undeclared secret, a
  // bad tool) stops the start without becoming the active version for other instances.
  const document = agentSource.document;
  const agentId = document.id;
  const version = versionOf(document);
  const built = new Map<string, ServingAgent>([[version, serve(document, version)]]);
  const now = deps.clock.now();
  await store.transaction(async (tx) => {
    await pushAgentVersion(tx, { ...agentSource, secrets: Object.keys(deps.secrets) }, now);
    await activateAgentVersion(tx, agentId, version, now);
  });
  const current = async () => {
    const active = await store.agentVersions.active(agentId);
    return { id: agentId, version: active?.version ?? version };
  };
  const forVersion = async (wanted: string) => {
    let serving = built.get(wanted);
    if (!serving) {
      const stored = await getAgentVersion(store, agentId, wanted);
      serving = serve(stored.document, wanted);
      built.set(wanted, serving);
    }
    return serving;
  };
  return {
    current,
    forVersion,
    async forConversation(conversation) {
      // A conversation started by another agent (the config changed since) or by a version
      // no longer stored continues with the active one.
      const pinned =
        conversation.agentId === agentId && conversation.agentVersion
          ? await store.agentVersions.get(agentId, conversation.agentVersion)
          : undefined;
      return forVersion(pinned?.version ?? (await current()).version);
    },
  };
}
