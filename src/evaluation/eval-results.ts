import type { Repositories } from "../store/index.ts";

/** The latest eval verdict of a version, as a rollout's gate reads it. */
export interface EvalVerdict {
  passed: boolean;
  runId: string;
  finishedAt: number;
}

/**
 * The newest `mainstay eval` run of an agent version (replay and red-team runs are not
 * eval verdicts), or undefined when the version was never evaluated.
 */
export async function latestEvalResult(
  repos: Repositories,
  agentId: string,
  version: string,
): Promise<EvalVerdict | undefined> {
  const [run] = await repos.evalRuns.list(agentId, version, { kind: "eval", limit: 1 });
  return run && { passed: run.passed, runId: run.id, finishedAt: run.finishedAt };
}
