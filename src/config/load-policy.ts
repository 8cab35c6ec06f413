import { defaultPolicy, loadPolicyFile, type Policy, policySchema } from "../guardrails/index.ts";
import { type LoadedConfig, resolveFromConfig } from "./load-config.ts";

/** The `policies` setting: the built-in policy, a policy file, or an inline policy. */
export function loadPolicy(loaded: LoadedConfig): Policy {
  const source = loaded.config.policies;
  if (source === "default") return defaultPolicy();
  if (typeof source === "string") return loadPolicyFile(resolveFromConfig(loaded, source));
  return policySchema.parse(source);
}
