import pg from "pg";
import { eventually } from "./test-app.ts";

/**
 * The test's own view of PostgreSQL's sessions (pg_stat_activity), to find and terminate
 * the connections of one instance by the application_name it sets (`mainstay:<schema>`
 * for queries, `mainstay-listen:<schema>` for LISTEN).
 */
export async function openPgSessions(url: string) {
  const admin = new pg.Client({ connectionString: url, application_name: "mainstay-test" });
  await admin.connect();
  const pids = async (where: string, params: unknown[]) =>
    (
      await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE ${where}`, params)
    ).rows.map((r) => r.pid);
  return {
    client: admin,
    /** Wait until a session of `applicationName` waits on a lock; returns its pid. */
    async blockedOnLock(applicationName: string): Promise<number> {
      return eventually(
        async () =>
          (await pids("application_name = $1 AND wait_event_type = 'Lock'", [applicationName]))[0],
        `a ${applicationName} session waiting on a lock`,
      );
    },
    /** Terminate every session named `applicationName`; returns how many there were. */
    async terminate(applicationName: string): Promise<number> {
      const found = await pids("application_name = $1", [applicationName]);
      for (const pid of found) await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      return found.length;
    },
    async terminatePid(pid: number): Promise<void> {
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    },
    count: async (applicationName: string) =>
      (await pids("application_name = $1", [applicationName])).length,
    close: () => admin.end(),
  };
}
