import { z } from "zod";

/**
 * The `proxy:` block of mainstay.yaml: an OpenAI-compatible endpoint at
 * `POST /v1/chat/completions` that screens traffic to and from `upstream`.
 */
export const proxyConfigSchema = z
  .object({
    upstream: z
      .object({
        /** Base URL of an OpenAI-compatible API, up to and including `/v1`. */
        baseUrl: z.url(),
        /** Sent upstream as `Authorization: Bearer`; empty (an unset `${VAR:-}`) sends none. */
        apiKey: z
          .string()
          .optional()
          .transform((v) => v || undefined),
      })
      .strict(),
    /** Channel id exchanges are recorded under (channel type `proxy`). */
    channelId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _")
      .default("proxy"),
    /** Upstream deadline: the whole answer, or the response headers when streaming. */
    timeoutMs: z.coerce.number().int().positive().default(60_000),
  })
  .strict();

export type ProxyConfig = z.output<typeof proxyConfigSchema>;
