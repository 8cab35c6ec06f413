import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bearerSecretSchema } from "../shared/bearer-token.ts";
import { MainstayError } from "../shared/errors.ts";
import { ensurePrivateDir, keepPrivate } from "../shared/private-files.ts";

const envKeySchema = bearerSecretSchema.min(
  16,
  "use at least 16 characters, or unset it to have one generated",
);

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
    const problem = envKeySchema.safeParse(fromEnv).error?.issues[0];
    if (problem) {
      throw new MainstayError("MS_ADMIN_KEY_WEAK", `MAINSTAY_ADMIN_KEY: ${problem.message}`, 400);
    }
    return fromEnv;
  }
  ensurePrivateDir(dataDir);
  const file = join(dataDir, "admin-key");
  try {
    const stored = readFileSync(file, "utf8").trim();
    if (stored) {
      keepPrivate(file);
      return stored;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const key = `msk_${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  keepPrivate(file);
  announce(
    `Generated an admin API key (shown once; kept in ${file}; set MAINSTAY_ADMIN_KEY to choose your own):\n\n  ${key}\n`,
  );
  return key;
}
