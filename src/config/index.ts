export { type ConfigCheck, type ConfigParts, checkConfigText } from "./check-config.ts";
export {
  type LoadedConfig,
  type Locate,
  loadConfigFile,
  parseConfigText,
  readConfigText,
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
