export { createLlmAgent, DEFAULT_MAX_TOOL_ROUNDS, type LlmAgentOptions } from "./llm-agent.ts";
