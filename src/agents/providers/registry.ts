import { z } from "zod";
import { anthropicProvider } from "./anthropic/anthropic-definition.ts";
import { builtinProvider } from "./builtin/builtin-definition.ts";
import type { ChatProvider } from "./chat-provider.ts";
import { openaiCompatibleProvider } from "./openai/openai-definition.ts";
import type { ProviderDefinition, ProviderDeps } from "./provider-definition.ts";

/** Every provider type; adding one is a folder plus a line here. */
export const providerDefinitions = [
  openaiCompatibleProvider,
  anthropicProvider,
  builtinProvider,
] as const;

export type ProviderType = (typeof providerDefinitions)[number]["type"];

/** The tuple of the definitions' entry schemas, element by element. */
type EntrySchemas<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { configSchema: infer S } ? S : never;
};

/** The types that call a model, every one but those answering from a knowledge base. */
export const modelProviderTypes: readonly ProviderType[] = providerDefinitions
  .filter((d) => !d.knowledgeAgent)
  .map((d) => d.type);

/** The entry under `provider:` and each of `fallbacks:` in an agent document. */
export const providerEntrySchema = z
  .discriminatedUnion(
    "type",
    providerDefinitions.map((d) => d.configSchema) as unknown as EntrySchemas<
      typeof providerDefinitions
    >,
  )
  // A refinement, not a required field, so that the document's cross-field checks still
  // run in the same pass when it is missing.
  .refine((p) => p.model !== undefined || !modelProviderTypes.includes(p.type), {
    message: `model is required for ${modelProviderTypes.join(" and ")} providers`,
    path: ["model"],
  });

export type ProviderEntry = z.output<typeof providerEntrySchema>;

/** A definition whatever its type, with `create` taking the entry its own schema parsed. */
type RegisteredProvider = Omit<ProviderDefinition, "create"> & {
  create(entry: ProviderEntry, deps: ProviderDeps): ChatProvider;
};

export function providerDefinition(type: ProviderType): RegisteredProvider {
  return providerDefinitions.find((d) => d.type === type) as RegisteredProvider;
}

/** The client of one document entry. */
export function createProvider(entry: ProviderEntry, deps: ProviderDeps): ChatProvider {
  return providerDefinition(entry.type).create(entry, deps);
}
