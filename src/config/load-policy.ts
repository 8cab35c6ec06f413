import { defaultPolicy, loadPolicyFile, type Policy, policySchema } from "../guardrails/index.ts";
import { type LoadedConfig, resolveFromConfig } from "./load-config.ts";
import type { Config } from "./schema.ts";

/** What reading a policy needs of the config: its folder, and the `policies` setting. */
type PolicyContext = Pick<LoadedConfig, "baseDir"> & { config: Partial<Pick<Config, "policies">> };

/**
 * The `policies` setting (or another policy reference, such as an agent document's): the
 * built-in policy (`default`), a policy file relative to the config, or an inline policy.
 */
export function loadPolicy(
  loaded: PolicyContext,
  source: string | Record<string, unknown> = loaded.config.policies ?? "default",
): Policy {
  if (source === "default") return defaultPolicy();
  if (typeof source === "string") return loadPolicyFile(resolveFromConfig(loaded, source));
  return policySchema.parse(source);
}
