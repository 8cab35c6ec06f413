export type { Agent, AgentContext, AgentReply, AgentTurn, ToolCall, TurnRole } from "./agent.ts";
export {
  type AgentCatalog,
  type AgentRef,
  type AgentSource,
  openAgentCatalog,
} from "./agent-catalog.ts";
export { type AgentObserver, type BuildAgentDeps, buildAgent } from "./build-agent.ts";
export {
  type HandoffWebhook,
  handoffNotifier,
  handoffSummary,
} from "./handoff/handoff-notifier.ts";
export { negativeStreak, sentimentScore } from "./handoff/sentiment.ts";
export {
  type AgentRuntimeOptions,
  agentRuntime,
  DEFAULT_HANDOFF_TEXT,
  type ServingAgent,
} from "./runtime.ts";
export { requiredSecret, type Secrets } from "./secrets.ts";
export * from "./versions/index.ts";
