import { z } from "zod";
import type { ChatUsage } from "../providers/chat-provider.ts";

/**
 * USD per million tokens, keyed `provider/model` with the names a provider reports for an
 * answer (`openai/gpt-4.1-mini`; a model name may itself contain `/`). Prices change and
 * differ by contract, so there is no built-in table: it comes from the configuration.
 */
export const priceTableSchema = z.record(
  z.string().regex(/^[^/\s]+\/\S+$/, "provider/model"),
  z
    .object({
      inputPerMTok: z.number().min(0),
      outputPerMTok: z.number().min(0),
    })
    .strict(),
);

export type PriceTable = z.infer<typeof priceTableSchema>;

/**
 * Cost in USD of one call, or null when the table has no exact entry for the model:
 * a missing price is recorded as unknown, never guessed from a similar model name.
 */
export function costOf(
  usage: ChatUsage,
  provider: string,
  model: string,
  table: PriceTable,
): number | null {
  const price = table[`${provider}/${model}`];
  if (!price) return null;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1e6;
}
