export {
  type BuiltinAgentOptions,
  createBuiltinAgent,
  DEFAULT_GREETING_TEXT,
  DEFAULT_HANDOFF_TEXT,
  DEFAULT_THANKS_TEXT,
  DEFAULT_THRESHOLD,
} from "./builtin-agent.ts";
export { type KnowledgeBase, type KnowledgeMatch, loadKnowledgeBase } from "./knowledge-base.ts";
export type { KnowledgeEntry } from "./parse-knowledge-file.ts";
