import type { LoadedConfig } from "./config/index.ts";
import { startAgents, startChannels, startRollouts } from "./startup/agents.ts";
import { startBackground } from "./startup/background.ts";
import { startControl } from "./startup/control.ts";
import { startConversations } from "./startup/conversations.ts";
import { startFoundation } from "./startup/foundation.ts";
import { startHttp } from "./startup/http.ts";
import { startJobs, startLimits } from "./startup/jobs.ts";
import type { Mainstay, StartOptions } from "./startup/start-options.ts";
import { StartedParts } from "./startup/started-parts.ts";
import { startStorage } from "./startup/storage.ts";
import { startTelemetry } from "./startup/telemetry.ts";

export { readAgentSource } from "./startup/agent-source.ts";
export { type Mainstay, ROLES, type Role, type StartOptions } from "./startup/start-options.ts";

/**
 * Composition root: the parts of one instance, each built from the config and the parts
 * above it, in this order. `close` takes them down in reverse: HTTP first, so nothing new
 * arrives, then the monitor and the worker (running jobs finish), and the database last.
 * A part that fails to start closes the ones before it.
 */
export async function startMainstay(
  loaded: LoadedConfig,
  options: StartOptions = {},
): Promise<Mainstay> {
  const parts = new StartedParts();
  const foundation = await parts.start("foundation", () => startFoundation(loaded, options));
  const storage = await parts.start("storage", () => startStorage(foundation));
  const control = await parts.start("control", () => startControl(foundation, storage));
  const jobs = await parts.start("jobs", () => startJobs(foundation, storage));
  const telemetry = await parts.start("telemetry", () =>
    startTelemetry(foundation, jobs.queue, control, options),
  );
  const limits = await parts.start("limits", () => startLimits(foundation, storage));
  const channels = await parts.start("channels", () => startChannels(foundation, storage));
  const agents = await parts.start("agents", () =>
    startAgents(foundation, storage, control, telemetry),
  );
  const rollouts = await parts.start("rollouts", () =>
    startRollouts(foundation, storage, control, jobs),
  );
  const conversations = await parts.start("conversations", () =>
    startConversations(foundation, {
      storage,
      jobs,
      telemetry,
      limits,
      channels,
      agents,
      control,
      rollouts,
    }),
  );
  const http = await parts.start("http", () =>
    startHttp(
      foundation,
      { storage, jobs, telemetry, limits, channels, agents, rollouts, conversations },
      options,
    ),
  );
  const monitor = await parts.start("background", () =>
    startBackground(foundation, { storage, jobs, limits, rollouts, conversations, telemetry }),
  );
  return {
    url: http.url,
    app: http.app,
    store: storage.store,
    worker: conversations.worker,
    control,
    rollouts,
    monitor,
    adminKey: http.adminKey,
    close: () => parts.close(),
  };
}
