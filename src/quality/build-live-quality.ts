import type { Logger } from "pino";
import type { Secrets } from "../agents/index.ts";
import type { OutcomeLabelSettings } from "../conversations/index.ts";
import { modelClient } from "../evaluation/index.ts";
import type { JobQueue } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { EgressFetch } from "../shared/egress/index.ts";
import type { Random } from "../shared/random.ts";
import type { Store } from "../store/index.ts";
import { knowledgeForVersion } from "./knowledge-for-version.ts";
import { createLiveQuality, type LiveQuality } from "./live-quality.ts";
import type { QualityConfig } from "./quality-config.ts";
import { createRubricJudge } from "./rubric-judge.ts";

/** Live quality from the `quality:` section and the parts of a running instance. */
export function buildLiveQuality(deps: {
  config: QualityConfig;
  secrets: Secrets;
  fetch?: EgressFetch;
  store: Store;
  queue: JobQueue;
  clock: Clock;
  random: Random;
  logger: Logger;
  outcomes: OutcomeLabelSettings;
  baseDir: string;
  builtin?: { id: string; knowledgeDir: string };
  leaseMs: number;
  maxAttempts: number;
  onEnqueued?: () => void;
}): LiveQuality {
  const judge = createRubricJudge(
    modelClient(
      deps.config.judge,
      deps.secrets,
      { name: "quality.judge", code: "MS_CONFIG_INVALID" },
      deps.fetch,
    ),
    deps.config.rubric,
  );
  const knowledgeFor = knowledgeForVersion({
    store: deps.store,
    baseDir: deps.baseDir,
    ...(deps.builtin && { builtin: deps.builtin }),
  });
  return createLiveQuality({ ...deps, judge, knowledgeFor });
}
