export type { Dialect, Executor, SqlValue } from "./database.ts";
export { latestMigration } from "./migrations.ts";
export type * from "./model.ts";
export type {
  ActiveAgentVersion,
  AgentVersionRecord,
  AgentVersionsRepository,
} from "./repositories/agent-versions.ts";
export { toE164 } from "./repositories/contacts.ts";
export type { ConversationFilter, NewConversation } from "./repositories/conversations.ts";
export type { NewMessage } from "./repositories/messages.ts";
export { openStore, type Repositories, type Store, type StoreOptions } from "./store.ts";
