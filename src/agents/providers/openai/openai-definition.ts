import type { ProviderDefinition } from "../provider-definition.ts";
import { providerEntryOf } from "../provider-entry.ts";
import { createOpenAICompatible } from "./openai-compatible.ts";

const DEFAULT_BASE_URL = "https://api.openai.com/v1";
const PRICING_KEY = "openai";
const configSchema = providerEntryOf("openai-compatible");

/** OpenAI's Chat Completions API, or any server speaking it (vLLM, Ollama, LiteLLM, Azure). */
export const openaiCompatibleProvider: ProviderDefinition<
  "openai-compatible",
  typeof configSchema
> = {
  type: "openai-compatible",
  configSchema,
  defaultBaseUrl: DEFAULT_BASE_URL,
  pricingKey: PRICING_KEY,
  create(entry, deps) {
    return createOpenAICompatible({
      name: PRICING_KEY,
      baseUrl: entry.baseUrl ?? DEFAULT_BASE_URL,
      apiKey: entry.apiKeySecret ? deps.secret(entry.apiKeySecret) : undefined,
      fetch: deps.fetch,
      clock: deps.clock,
    });
  },
};
