// An agent document's `disclosure`, also taken by the built-in agent in mainstay.yaml.
export { disclosureSchema } from "../turn/disclosure.ts";
export {
  type AgentDocument,
  type AgentProvider,
  type AgentTool,
  agentDocumentSchema,
} from "./agent-document.ts";
export { agentJsonSchema } from "./agent-json-schema.ts";
export {
  activateAgentVersion,
  getAgentVersion,
  listAgentVersions,
  pushAgentVersion,
  type StoredAgentVersion,
} from "./agent-versions.ts";
export { canonicalJson, versionOf } from "./content-hash.ts";
export { type DocumentChange, diffDocuments, formatDiff } from "./diff-documents.ts";
export { diffSequences, type LineChange } from "./diff-lines.ts";
export {
  type AgentDocumentCheck,
  type AgentDocumentOptions,
  checkAgentDocument,
  parseAgentDocument,
} from "./parse-agent-document.ts";
export { placeholdersIn, renderPrompt } from "./placeholders.ts";
export { costOf, type PriceTable, priceTableSchema } from "./price-table.ts";
export { resolveSettings } from "./resolve-settings.ts";
export { secretNameSchema } from "./secret-name-schema.ts";
export { undeclaredSecret } from "./secret-references.ts";
export { SETTING_FIELDS, type Settings, settingNameSchema } from "./setting-references.ts";
