export {
  type ContactProfile,
  handoffTool,
  type LookupContact,
  lookupContactTool,
  searchKnowledgeBaseTool,
} from "./builtin-tools.ts";
export { createHttpTool, type HttpToolMethod, type HttpToolOptions } from "./http-tool.ts";
export type { Tool, ToolContext, ToolResult } from "./tool.ts";
export {
  createToolSet,
  type ToolOutcome,
  type ToolSet,
  type ToolSetOptions,
  type ToolStatus,
} from "./tool-set.ts";
export { DEFAULT_MAX_RESULT_BYTES } from "./truncate-result.ts";
