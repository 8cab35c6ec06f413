import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MainstayError } from "../shared/errors.ts";

/**
 * The admin API key: `MAINSTAY_ADMIN_KEY` when set; otherwise the one kept in the data
 * folder, generated (and announced once through `announce`) on first start.
 */
export function resolveAdminKey(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  announce: (message: string) => void,
): string {
  const fromEnv = env["MAINSTAY_ADMIN_KEY"];
  if (fromEnv) {
    if (fromEnv.length < 16) {
      throw new MainstayError(
        "MS_ADMIN_KEY_WEAK",
        "MAINSTAY_ADMIN_KEY must be at least 16 characters; unset it to have one generated",
        400,
      );
    }
    return fromEnv;
  }
  const file = join(dataDir, "admin-key");
  try {
    const stored = readFileSync(file, "utf8").trim();
    if (stored) return stored;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const key = `msk_${randomBytes(24).toString("base64url")}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  announce(
    `Generated an admin API key (shown once; kept in ${file}; set MAINSTAY_ADMIN_KEY to choose your own):\n\n  ${key}\n`,
  );
  return key;
}
