export { buildLiveQuality } from "./build-live-quality.ts";
export { JUDGE_PER_PASS, type KnowledgeFor, utcDay } from "./judge-pending.ts";
export { knowledgeForVersion } from "./knowledge-for-version.ts";
export {
  createLiveQuality,
  type LiveQuality,
  type LiveQualityDeps,
  type PassResult,
  QUALITY_JOB,
} from "./live-quality.ts";
export {
  DEFAULT_RUBRIC,
  type QualityConfig,
  qualityConfigSchema,
  type RubricCriterion,
} from "./quality-config.ts";
export {
  createRubricJudge,
  type JudgeInput,
  parseRubricScores,
  type RubricJudge,
  type RubricScore,
} from "./rubric-judge.ts";
export { SAMPLE_CHUNK, sampleFinished, sampleReason } from "./sample-conversations.ts";
