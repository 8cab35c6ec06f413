import { readFileSync } from "node:fs";
import type { AgentConfig, LoadedConfig } from "../config/index.ts";
import { resolveFromConfig } from "../config/index.ts";
import type { ScreenMessage } from "../conversations/index.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import type { Conversation, Store } from "../store/index.ts";
import type { Agent } from "./agent.ts";
import { type BuildAgentDeps, buildAgent } from "./build-agent.ts";
import { createBuiltinAgent, loadKnowledgeBase } from "./builtin/index.ts";
import type { ServingAgent } from "./runtime.ts";
import {
  type AgentDocument,
  activateAgentVersion,
  getAgentVersion,
  parseAgentDocument,
  pushAgentVersion,
} from "./versions/index.ts";

export interface AgentRef {
  id: string;
  version: string;
}

/** Which agent version serves what: new conversations get the active one, and stay on it. */
export interface AgentCatalog {
  current(): Promise<AgentRef>;
  forConversation(conversation: Conversation): Promise<ServingAgent>;
}

export interface CatalogDeps extends BuildAgentDeps {
  /** The screen for a document's `policy` (`default` or a path relative to the config). */
  screenFor(policy: string): ScreenMessage;
}

/** What the `agent` setting names, read and checked (`mainstay validate` stops here). */
export type AgentSource =
  | { type: "builtin"; agent: Agent }
  | { type: "document"; file: string; source: string; document: AgentDocument };

export function readAgentSource(loaded: LoadedConfig): AgentSource {
  const config: AgentConfig = loaded.config.agent;
  if (config.type === "builtin") {
    return {
      type: "builtin",
      agent: createBuiltinAgent({
        id: config.id,
        version: config.version,
        knowledge: loadKnowledgeBase(resolveFromConfig(loaded, config.knowledgeDir)),
        threshold: config.threshold,
        handoffText: config.handoffText,
        greetingText: config.greetingText,
      }),
    };
  }
  const file = resolveFromConfig(loaded, config.file);
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (e) {
    throw new MainstayError("MS_AGENT_INVALID", `${file}: cannot read: ${describeError(e)}`);
  }
  return { type: "document", file, source, document: parseAgentDocument(source, file) };
}

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
  if (agentSource.type === "builtin") {
    const serving = { agent: agentSource.agent };
    return {
      current: async () => ({ id: serving.agent.id, version: serving.agent.version }),
      forConversation: async () => serving,
    };
  }
  const serve = (document: AgentDocument, version: string): ServingAgent => ({
    agent: buildAgent(document, version, deps),
    screen: document.policy ? deps.screenFor(document.policy) : undefined,
    handoffText: document.handoff.message,
    negativeSentimentStreak: document.handoff.negativeSentimentStreak,
  });
  const now = deps.clock.now();
  const pushed = await store.transaction(async (tx) => {
    const version = await pushAgentVersion(tx, agentSource, now);
    await activateAgentVersion(tx, version.agentId, version.version, now);
    return version;
  });
  // Built agents by version; a stored version never changes, so neither does its agent.
  const built = new Map<string, ServingAgent>([
    [pushed.version, serve(agentSource.document, pushed.version)],
  ]);
  const agentId = pushed.agentId;
  return {
    async current() {
      const active = await store.agentVersions.active(agentId);
      return { id: agentId, version: active?.version ?? pushed.version };
    },
    async forConversation(conversation) {
      const version = conversation.agentVersion ?? pushed.version;
      let serving = built.get(version);
      if (!serving) {
        const stored = await getAgentVersion(store, agentId, version);
        serving = serve(stored.document, version);
        built.set(version, serving);
      }
      return serving;
    },
  };
}
