import { z } from "zod";
import { strictWithReplacedFields } from "../versions/replaced-fields.ts";
import { secretNameSchema } from "../versions/secret-name-schema.ts";
import { resilienceFields } from "./resilience-settings.ts";

/**
 * The fields a provider entry of an agent document has. `model` is required of every
 * provider but one that answers from the knowledge base; the registry checks that.
 */
export function providerEntryOf<const T extends string>(type: T) {
  return z.strictObject(
    {
      type: z.literal(type),
      model: z.string().min(1).optional(),
      baseUrl: z.url({ protocol: /^https?$/ }).optional(),
      apiKeySecret: secretNameSchema.optional(),
      /** Each call's time limit; default the document's `limits.timeoutMs`. */
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
      ...resilienceFields(),
    },
    strictWithReplacedFields,
  );
}

/** What a provider definition's `configSchema` is. */
export type ProviderEntrySchema<T extends string = string> = ReturnType<typeof providerEntryOf<T>>;
