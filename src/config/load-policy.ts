import { defaultPolicy, loadPolicyFile, type Policy, policySchema } from "../guardrails/index.ts";
import { type LoadedConfig, resolveFromConfig } from "./load-config.ts";

/**
 * The `policies` setting (or another policy reference, such as an agent document's): the
 * built-in policy (`default`), a policy file relative to the config, or an inline policy.
 */
export function loadPolicy(
  loaded: LoadedConfig,
  source: string | Record<string, unknown> = loaded.config.policies,
): Policy {
  if (source === "default") return defaultPolicy();
  if (typeof source === "string") return loadPolicyFile(resolveFromConfig(loaded, source));
  return policySchema.parse(source);
}
