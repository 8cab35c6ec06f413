export type { Agent, AgentContext, AgentReply, AgentTurn, ToolCall, TurnRole } from "./agent.ts";
export { type AgentCatalog, type AgentSource, openAgentCatalog } from "./agent-catalog.ts";
export { type AgentObserver, type BuildAgentDeps, buildAgent } from "./build-agent.ts";
export {
  type HandoffWebhook,
  handoffNotifier,
  handoffSummary,
} from "./handoff/handoff-notifier.ts";
export { negativeStreak, sentimentScore } from "./handoff/sentiment.ts";
export type { ResilienceSettings } from "./providers/index.ts";
export { type AgentRuntimeOptions, agentRuntime } from "./runtime.ts";
export { requiredSecret, type Secrets } from "./secrets.ts";
export type {
  ServingAgent,
  SharedTurn,
  TurnCompanion,
  TurnWrite,
  TurnWriteContext,
} from "./serving-agent.ts";
export {
  DEFAULT_HANDOFF_TEXT,
  decideReply,
  decideSpendCap,
  decideTurn,
} from "./turn/decide-turn.ts";
export {
  type AgentDecision,
  type AgentRef,
  type TurnFacts,
  type TurnInput,
  traceRecord,
  turnRecord,
} from "./turn/turn-facts.ts";
export {
  type RedactText,
  type TracedStep,
  type TraceStep,
  type TurnTracer,
  turnTracer,
} from "./turn-trace.ts";
export * from "./versions/index.ts";
