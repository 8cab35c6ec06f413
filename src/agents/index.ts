export type { Agent, AgentContext, AgentReply, AgentTurn, ToolCall, TurnRole } from "./agent.ts";
export { type AgentRuntimeOptions, agentRuntime } from "./runtime.ts";
