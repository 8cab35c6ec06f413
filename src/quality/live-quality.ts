import type { Logger } from "pino";
import type { OutcomeLabelSettings } from "../conversations/index.ts";
import type { JobHandler, JobQueue } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Random } from "../shared/random.ts";
import type { Store } from "../store/index.ts";
import { type JudgeResult, judgePending, type KnowledgeFor } from "./judge-pending.ts";
import type { QualityConfig } from "./quality-config.ts";
import type { RubricJudge } from "./rubric-judge.ts";
import { sampleFinished } from "./sample-conversations.ts";

/** One pass: a sampling chunk, then judging until the cap, a failure or the deadline. */
export const QUALITY_JOB = "quality.pass";
/** Passes share one queue key, so one runs at a time across every instance. */
const QUEUE_KEY = "quality";

export interface LiveQualityDeps {
  config: QualityConfig;
  store: Store;
  queue: JobQueue;
  clock: Clock;
  random: Random;
  logger: Logger;
  judge: RubricJudge;
  knowledgeFor: KnowledgeFor;
  outcomes: OutcomeLabelSettings;
  /** A pass ends its judging by half the job lease, so it finishes before the lease does. */
  leaseMs: number;
  maxAttempts: number;
  /** Rung after a pass is enqueued: the worker wakes at once. */
  onEnqueued?: () => void;
}

export interface PassResult extends JudgeResult {
  sampled: number;
}

export interface LiveQuality {
  /** The worker's handler of QUALITY_JOB. */
  handlers: Record<string, JobHandler>;
  /** One pass, as the job runs it (tests call it directly). */
  runPass(): Promise<PassResult>;
  /** Enqueues a pass unless one is already waiting or running. */
  enqueuePass(): Promise<boolean>;
  /** Enqueues a pass every `intervalSeconds` (workers only). */
  start(): void;
  stop(): void;
}

/**
 * Live quality (docs/live-quality.md): durable `quality.pass` jobs sample finished
 * conversations and judge the sampled ones. A pass that leaves work behind enqueues the
 * next at once; otherwise the timer starts one every `intervalSeconds`.
 */
export function createLiveQuality(deps: LiveQualityDeps): LiveQuality {
  const { store, queue, clock, logger, config } = deps;
  let timer: NodeJS.Timeout | undefined;

  const enqueue = async () => {
    await queue.enqueue(
      store.db,
      {
        kind: QUALITY_JOB,
        payload: {},
        queueKey: QUEUE_KEY,
        maxAttempts: deps.maxAttempts,
        runAt: clock.now(),
      },
      clock.now(),
    );
    deps.onEnqueued?.();
  };

  const enqueuePass = async () => {
    const stats = await queue.stats(clock.now());
    if (stats.some((s) => s.kind === QUALITY_JOB && s.state !== "dead" && s.count > 0)) {
      return false;
    }
    await enqueue();
    return true;
  };

  const runPass = async (): Promise<PassResult> => {
    const deadline = clock.now() + deps.leaseMs / 2;
    const { sampled, more: moreToSample } = await sampleFinished({
      store,
      clock,
      random: deps.random,
      share: config.sample.share,
      outcomes: deps.outcomes,
    });
    const judged = await judgePending(deps, deadline);
    if (judged.capped) logger.info({ judged: judged.judged }, "quality judge daily cap reached");
    const stopped = judged.capped || judged.failed;
    return { ...judged, sampled, more: moreToSample || (judged.more && !stopped) };
  };

  return {
    runPass,
    handlers: {
      [QUALITY_JOB]: {
        async run() {
          const pass = await runPass();
          if (pass.more) await enqueue();
        },
      },
    },
    enqueuePass,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        enqueuePass().catch((e) => logger.warn({ err: e }, "could not enqueue a quality pass"));
      }, config.intervalSeconds * 1000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
