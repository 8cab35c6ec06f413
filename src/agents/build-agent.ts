import { isAbsolute, resolve } from "node:path";
import type { Logger } from "pino";
import type { Clock } from "../shared/clock.ts";
import type { EgressFetch } from "../shared/egress/index.ts";
import type { Random } from "../shared/random.ts";
import type { Agent } from "./agent.ts";
import { type KnowledgeBase, loadKnowledgeBase } from "./builtin/index.ts";
import { createLlmAgent } from "./llm/index.ts";
import {
  type BreakerProvider,
  cannedReply,
  withAttemptTrace,
  withCircuitBreaker,
  withFallback,
  withRetry,
  withSkipTrace,
  withTimeout,
} from "./middleware/index.ts";
import {
  type ChatProvider,
  type ChatRequest,
  createProvider,
  providerDefinition,
  type ResilienceSettings,
  resolveResilience,
} from "./providers/index.ts";
import { declaredSecret, requiredSecret, type Secrets } from "./secrets.ts";
import {
  createHttpTool,
  createToolSet,
  handoffTool,
  type LookupContact,
  lookupContactTool,
  searchKnowledgeBaseTool,
  type Tool,
} from "./tools/index.ts";
import type { AgentDocument, AgentProvider, AgentTool, Settings } from "./versions/index.ts";
import { renderPrompt, resolveSettings } from "./versions/index.ts";

export interface BuildAgentDeps {
  secrets: Secrets;
  /** The config's `settings`, filled into a document's `${NAME}` references here. */
  settings?: Settings;
  /** The server's egress `fetch`: provider calls and HTTP tools go through it. */
  fetch?: EgressFetch;
  clock: Clock;
  random: Random;
  /** Folder relative `knowledgeDir` paths in a document are resolved against. */
  baseDir: string;
  lookupContact: LookupContact;
  logger: Logger;
  /** The server's retry and breaker settings (`providers:`), under each entry's own. */
  providers?: ResilienceSettings;
  /** Metrics and traces around the agent's parts; main.ts adds it. */
  observer?: AgentObserver;
}

type AgentLabels = { id: string; version: string };

/**
 * Wrappers the composition root puts around an agent's parts to observe them (metrics,
 * traces): each returns what it is given, observed.
 */
export interface AgentObserver {
  /** The agent as a whole: one call per turn (the catalog applies it). */
  agent(agent: Agent): Agent;
  /** A provider client inside its timeout and retries: every request actually sent. */
  provider(provider: ChatProvider, agent: AgentLabels): ChatProvider;
  /** A link's circuit breaker, whose state is read from now on. */
  breaker(breaker: BreakerProvider, link: AgentLabels & { provider: string; model: string }): void;
  tool(tool: Tool, agent: AgentLabels): Tool;
  /** The chain moved on from a failing provider. */
  fallback(from: string, to: string, agent: AgentLabels): void;
}

export const DEFAULT_UNAVAILABLE_TEXT =
  "Sorry, I can't answer right now. A person from our team will reply here shortly.";

/**
 * Build the running agent of one stored version. The provider chain is composed from
 * middleware, primary first: each provider gets a timeout, retries and its own circuit
 * breaker, then the fallbacks in order, and last a canned reply, so a customer always
 * gets an answer. The canned reply also hands the conversation to a person.
 */
export function buildAgent(stored: AgentDocument, version: string, deps: BuildAgentDeps): Agent {
  // The version keeps `${NAME}`; this server's values go in only now.
  const doc = resolveSettings(stored, deps.settings ?? {}, `agent ${stored.id}`);
  const knowledge = doc.knowledgeDir
    ? loadKnowledgeBase(pathFrom(deps.baseDir, doc.knowledgeDir))
    : undefined;
  const handoffText = doc.handoff.message ?? DEFAULT_UNAVAILABLE_TEXT;
  const { knowledgeAgent } = providerDefinition(doc.provider.type);
  if (knowledgeAgent) {
    return knowledgeAgent({
      id: doc.id,
      version,
      knowledge: knowledge!,
      threshold: doc.handoff.onLowConfidence,
      handoffText: doc.handoff.message,
    });
  }
  const { observer } = deps;
  const labels = { id: doc.id, version };
  const link = (p: AgentProvider) => {
    const client = withModel(providerFor(p, doc, version, deps, knowledge), p.model);
    const model = p.model ?? client.name;
    const breaker = resilient(observer?.provider(client, labels) ?? client, p, doc, deps);
    observer?.breaker(breaker, { ...labels, provider: client.name, model });
    return withSkipTrace(breaker, model);
  };
  const canned = cannedReply(handoffText);
  const chain = withFallback(
    [
      link(doc.provider),
      ...(doc.fallbacks ?? []).map(link),
      withAttemptTrace(canned, canned.name, deps.clock),
    ],
    {
      onFallback: (from, to, error) => {
        observer?.fallback(from.name, to.name, labels);
        deps.logger.warn(
          { agent: doc.id, version, from: from.name, to: to.name, err: error },
          "provider failed, trying the next in the chain",
        );
      },
    },
  );
  const agent = createLlmAgent({
    id: doc.id,
    version,
    provider: chain,
    model: doc.provider.model!,
    systemPrompt: renderPrompt(doc),
    variables: doc.variables,
    tools: createToolSet(
      doc.tools.map((t) => {
        const tool = toolFor(t, doc, deps, knowledge);
        return observer?.tool(tool, labels) ?? tool;
      }),
    ),
    maxToolRounds: doc.limits.maxToolRounds,
    maxTokens: doc.limits.maxTokens,
    temperature: doc.limits.temperature,
    handoffText,
  });
  return {
    ...agent,
    async respond(context, signal) {
      const reply = await agent.respond(context, signal);
      // Every provider failed: the canned text went out, and a person takes over.
      if (reply.meta?.["provider"] === "canned" && !reply.handoff) {
        return { ...reply, handoff: { reason: "provider_unavailable" } };
      }
      return reply;
    },
  };
}

/**
 * Each link of the chain asks for its own model: the request the chain passes along
 * names the primary's.
 */
function withModel(provider: ChatProvider, model: string | undefined): ChatProvider {
  if (model === undefined) return provider;
  const stream = provider.stream?.bind(provider);
  return {
    ...provider,
    chat: (request) => provider.chat({ ...request, model }),
    ...(stream && { stream: (request: ChatRequest) => stream({ ...request, model }) }),
  };
}

/** A link's timeout, retries and breaker: the entry's settings over the server's. */
function resilient(
  provider: ChatProvider,
  entry: AgentProvider,
  doc: AgentDocument,
  deps: BuildAgentDeps,
) {
  const { retry, breaker } = resolveResilience(entry, deps.providers);
  const timeoutMs = entry.timeoutMs ?? doc.limits.timeoutMs;
  // Each attempt is traced around its own timeout, so a timed-out one is a step too.
  const attempt = withAttemptTrace(
    withTimeout(provider, { timeoutMs }),
    entry.model ?? provider.name,
    deps.clock,
  );
  return withCircuitBreaker(withRetry(attempt, { ...retry, random: deps.random }), {
    ...breaker,
    clock: deps.clock,
  });
}

function providerFor(
  p: AgentProvider,
  doc: AgentDocument,
  version: string,
  deps: BuildAgentDeps,
  knowledge: KnowledgeBase | undefined,
): ChatProvider {
  return createProvider(p, {
    secret: (name) => requiredSecret(deps.secrets, name, `agent ${doc.id}: provider ${p.type}`),
    fetch: deps.fetch,
    clock: deps.clock,
    agent: { id: doc.id, version, ...(knowledge && { knowledge }) },
  });
}

function toolFor(
  tool: AgentTool,
  doc: AgentDocument,
  deps: BuildAgentDeps,
  knowledge?: KnowledgeBase,
): Tool {
  if (tool.type === "http") {
    // Empty (its variable unset): the request goes without Authorization.
    const secret = tool.authSecret
      ? declaredSecret(deps.secrets, tool.authSecret, `agent ${doc.id}: tool ${tool.name}`)
      : undefined;
    return createHttpTool({
      name: tool.name,
      description: tool.description,
      method: tool.method,
      url: tool.url,
      parameters: tool.parameters,
      timeoutMs: tool.timeoutMs,
      fetch: deps.fetch,
      // The document names the secret; its value is the bearer token.
      ...(secret ? { authHeader: { name: "Authorization", value: `Bearer ${secret}` } } : {}),
    });
  }
  switch (tool.name) {
    case "handoff_to_human":
      return handoffTool();
    case "lookup_contact":
      return lookupContactTool(deps.lookupContact);
    case "search_knowledge_base":
      return searchKnowledgeBaseTool(knowledge!);
  }
}

const pathFrom = (base: string, path: string) => (isAbsolute(path) ? path : resolve(base, path));
