export {
  type LoadedConfig,
  loadConfigFile,
  parseConfigText,
  resolveFromConfig,
} from "./load-config.ts";
export { loadPolicy } from "./load-policy.ts";
export {
  type AgentConfig,
  type Config,
  configSchema,
  type OutboxConfig,
  type ServerConfig,
} from "./schema.ts";
export { storeOptionsFor } from "./store-options.ts";
