import { ControlState } from "../rollouts/index.ts";
import type { Foundation } from "./foundation.ts";
import type { Started } from "./started-parts.ts";
import type { Storage } from "./storage.ts";

/** Kill switch and rollouts: kept in memory, reloaded on any instance's change. */
export async function startControl(
  { logger }: Foundation,
  { store }: Storage,
): Promise<Started<ControlState>> {
  const control = new ControlState(store, { pollMs: 500, logger });
  await control.start();
  return { provides: control, close: () => control.stop() };
}
