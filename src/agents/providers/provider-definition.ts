import type { z } from "zod";
import type { Clock } from "../../shared/clock.ts";
import type { EgressFetch } from "../../shared/egress/index.ts";
import type { Agent } from "../agent.ts";
import type { BuiltinAgentOptions, KnowledgeBase } from "../builtin/index.ts";
import type { ChatProvider } from "./chat-provider.ts";
import type { ProviderEntrySchema } from "./provider-entry.ts";

/** What a provider's factory is handed besides its entry in the document. */
export interface ProviderDeps {
  /**
   * The value of a secret the entry names (its `apiKeySecret`). The caller resolves it: it
   * knows who to name when the secret is undeclared or empty, and with which error code.
   */
  secret(name: string): string;
  /** The server's egress `fetch`; default global fetch. */
  fetch?: EgressFetch;
  clock?: Clock;
  /** The agent the provider answers for (none for the judge). */
  agent?: { id: string; version: string; knowledge?: KnowledgeBase };
}

/**
 * One per folder under providers/: the entry an agent document writes under `provider:` and
 * `fallbacks:` (also a suite's `judge:`), and how to build its client. The registry lists
 * them; the document schema and every caller derive from it.
 */
export interface ProviderDefinition<
  T extends string = string,
  S extends ProviderEntrySchema<T> = ProviderEntrySchema<T>,
> {
  type: T;
  configSchema: S;
  /** Where requests go when the entry names no `baseUrl`; none for one that sends none. */
  defaultBaseUrl?: string;
  /**
   * The name its answers report (`ChatResponse.provider`): the first half of its keys in the
   * price table (`prices:`, `<pricingKey>/<model>`).
   */
  pricingKey: string;
  /**
   * Set on a provider that answers from the agent's knowledge base instead of a model: the
   * document needs `knowledgeDir`, it cannot judge, and as the primary provider it is the
   * whole agent (no prompt, tools or fallbacks).
   */
  knowledgeAgent?(options: BuiltinAgentOptions): Agent;
  create(entry: z.output<S>, deps: ProviderDeps): ChatProvider;
}
