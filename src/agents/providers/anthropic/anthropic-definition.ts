import type { ProviderDefinition } from "../provider-definition.ts";
import { providerEntryOf } from "../provider-entry.ts";
import { createAnthropic } from "./anthropic.ts";

const DEFAULT_BASE_URL = "https://api.anthropic.com";
/** What `createAnthropic` reports its answers as. */
const PRICING_KEY = "anthropic";
const configSchema = providerEntryOf("anthropic");

/** Anthropic's Messages API. */
export const anthropicProvider: ProviderDefinition<"anthropic", typeof configSchema> = {
  type: "anthropic",
  configSchema,
  defaultBaseUrl: DEFAULT_BASE_URL,
  pricingKey: PRICING_KEY,
  create(entry, deps) {
    return createAnthropic({
      baseUrl: entry.baseUrl ?? DEFAULT_BASE_URL,
      apiKey: entry.apiKeySecret ? deps.secret(entry.apiKeySecret) : "",
      fetch: deps.fetch,
      clock: deps.clock,
    });
  },
};
