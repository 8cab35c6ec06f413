export {
  type AgentDocument,
  type AgentProvider,
  type AgentTool,
  agentDocumentSchema,
  parseAgentDocument,
  secretNameSchema,
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
export { placeholdersIn, renderPrompt } from "./placeholders.ts";
export { costOf, type PriceTable, priceTableSchema } from "./price-table.ts";
export { undeclaredSecret } from "./secret-references.ts";
