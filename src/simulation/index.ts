export {
  checkExpectedCalls,
  type ExpectedCallCheck,
  toolSpecsOf,
} from "./check-expected-calls.ts";
export { checkTrial, type SimulationCheck } from "./check-trial.ts";
export { DONE_MARK, GIVE_UP_MARK, llmCustomer, parseMove } from "./llm-customer.ts";
export { loadScenarios, parseScenarioFile, type ScenarioSet } from "./load-scenarios.ts";
export { passHatK } from "./pass-hat-k.ts";
export { simulationHtml } from "./report/simulation-html.ts";
export { formatSimulationTable, type SimulationReport } from "./report/simulation-report.ts";
export {
  runSimulation,
  type ScenarioResult,
  type SimulationOptions,
  type SimulationResult,
  type TrialRun,
} from "./run-simulation.ts";
export type { CapturedRequest, CaptureServer } from "./sandbox/capture-server.ts";
export { sandboxChannelFor } from "./sandbox/sandbox-channel.ts";
export { DEFAULT_TURN_WAIT, type TurnWait } from "./sandbox/sandbox-customer.ts";
export { type Sandbox, type SandboxOptions, startSandbox } from "./sandbox/start-sandbox.ts";
export type { Scenario, ScenarioFile } from "./scenario-schema.ts";
export { simulateConversation } from "./simulate-conversation.ts";
export {
  type CustomerMove,
  type CustomerSession,
  type Ending,
  type SimulatedCustomer,
  scriptedCustomer,
} from "./simulated-customer.ts";
export { tau2Scenario } from "./tau2/import-tau2.ts";
export { parseTau2Tasks } from "./tau2/parse-tau2-tasks.ts";
