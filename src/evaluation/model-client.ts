import { requiredSecret, type Secrets } from "../agents/index.ts";
import { withRetry, withTimeout } from "../agents/middleware/index.ts";
import {
  type ChatProvider,
  createProvider,
  modelProviderTypes,
  resolveResilience,
} from "../agents/providers/index.ts";
import type { EgressFetch } from "../shared/egress/index.ts";
import { MainstayError } from "../shared/errors.ts";
import type { JudgeProvider } from "./suite-schema.ts";

/** A model named by a provider block, ready to chat: judges and simulated customers. */
export interface ModelClient {
  /** `provider/model`, for reports. */
  readonly name: string;
  readonly model: string;
  readonly provider: ChatProvider;
}

const TIMEOUT_MS = 60_000;

/**
 * The provider block (as in an agent document, its `apiKeySecret` one of the config's
 * `secrets`) as a client with the block's timeout and retries, as for an agent; a breaker
 * is no use for a run of calls. `role` names the setting in errors, which carry `code`.
 */
export function modelClient(
  spec: JudgeProvider,
  secrets: Secrets,
  role: { name: string; code: string },
  fetch?: EgressFetch,
): ModelClient {
  if (!modelProviderTypes.includes(spec.type) || !spec.model) {
    throw new MainstayError(
      role.code,
      `${role.name}: needs an ${modelProviderTypes.join(" or ")} provider with a model`,
    );
  }
  const client = createProvider(spec, {
    secret: (name) =>
      requiredSecret(secrets, name, `${role.name} (provider ${spec.type})`, role.code),
    fetch,
  });
  const provider = withRetry(
    withTimeout(client, { timeoutMs: spec.timeoutMs ?? TIMEOUT_MS }),
    resolveResilience(spec).retry,
  );
  return { name: `${spec.type}/${spec.model}`, model: spec.model, provider };
}
