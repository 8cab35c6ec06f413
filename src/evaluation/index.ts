export { type CheckResult, type CheckStatus, checkExpectation } from "./assertions.ts";
export { type EvalVerdict, latestEvalResult } from "./eval-results.ts";
export {
  type ContactDirectory,
  contactDirectory,
  type EvalTarget,
  type TurnSettings,
} from "./eval-target.ts";
export { createJudge, type Judge } from "./judge.ts";
export { loadJudge, loadSuite, parseSuite } from "./load-suite.ts";
export { type ModelClient, modelClient } from "./model-client.ts";
export { type Progress, progressOn } from "./progress.ts";
export {
  ATTACK_CATEGORIES,
  type Attack,
  type AttackCategory,
  generateAttacks,
} from "./redteam/attack-templates.ts";
export { type RedteamResult, runRedteam } from "./redteam/run-redteam.ts";
export {
  conversationsBetween,
  formatDataset,
  parseDataset,
  type RecordedConversation,
  recordedConversation,
  sampleOf,
} from "./replay/recorded-conversation.ts";
export { type ReplayResult, runReplay } from "./replay/run-replay.ts";
export { evalHtml } from "./report/eval-html.ts";
export { type EvalReport, evalRunOf, formatEvalTable } from "./report/eval-report.ts";
export { type Html, html, page, pill } from "./report/html-page.ts";
export {
  formatRedteamTable,
  type RedteamReport,
  redteamHtml,
  redteamRunOf,
} from "./report/redteam-report.ts";
export {
  formatReplayTable,
  type ReplayReport,
  replayHtml,
  replayRunOf,
} from "./report/replay-report.ts";
export { cell, percent, textTable } from "./report/text-table.ts";
export { runConversation, runTurn, type TurnRecord } from "./run-conversation.ts";
export { runPool } from "./run-pool.ts";
export { type CaseResult, runSuite, type SuiteResult } from "./run-suite.ts";
export { lexicalSimilarity } from "./similarity.ts";
export {
  type Expectation,
  expectationSchema,
  type JudgeProvider,
  judgeSchema,
  oneOrMany,
  regex as regexSchema,
  type Suite,
} from "./suite-schema.ts";
