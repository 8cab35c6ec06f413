import { userInfo } from "node:os";

/** The audit actor for a command run on this machine: `cli:<os user>`. */
export function cliActor(env: NodeJS.ProcessEnv): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (containers run as arbitrary uids): fall back to the env.
  }
  return `cli:${user || env["USER"] || env["USERNAME"] || "unknown"}`;
}
