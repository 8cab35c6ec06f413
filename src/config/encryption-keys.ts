import { z } from "zod";
import { MainstayError } from "../shared/errors.ts";
import type { EncryptionOptions } from "../store/index.ts";

const KEY_BYTES = 32;

const keyEntry = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]+$/,
    "each entry is <key id>:<base64 key>, the id of letters, digits, - and _ (at most 32)",
  )
  .transform((entry, ctx) => {
    const [id, encoded] = entry.split(":") as [string, string];
    // Node decodes both base64 alphabets (standard and URL-safe).
    const key = Buffer.from(encoded, "base64");
    if (key.length !== KEY_BYTES) {
      ctx.addIssue({
        code: "custom",
        message: `key "${id}" is ${key.length} bytes; use ${KEY_BYTES} random bytes, base64 (openssl rand -base64 32)`,
      });
      return z.NEVER;
    }
    return { id, key };
  });

const encryptionEnvSchema = z.object({
  keys: z
    .string()
    .transform((text) => text.split(",").filter((e) => e.trim() !== ""))
    .pipe(z.array(keyEntry).min(1, "name at least one key"))
    .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, "key ids repeat"),
  search: z.enum(["tokens", "none"]).default("tokens"),
});

/**
 * Encryption at rest from the environment (docs/configuration.md#encryption-at-rest):
 * `MAINSTAY_ENCRYPTION_KEYS`, comma-separated `<key id>:<base64 32-byte key>` master key
 * entries, the first the active one; `MAINSTAY_ENCRYPTION_SEARCH`, what search may index of
 * sealed text. Undefined (off) when no keys are set. Master keys live only in the
 * environment, never in the config file or the database, which holds data keys only
 * wrapped by them (store/encryption/key-registry.ts).
 */
export function encryptionFromEnv(env: NodeJS.ProcessEnv): EncryptionOptions | undefined {
  const keys = env["MAINSTAY_ENCRYPTION_KEYS"];
  if (!keys?.trim()) return undefined;
  const parsed = encryptionEnvSchema.safeParse({
    keys,
    search: env["MAINSTAY_ENCRYPTION_SEARCH"] || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name =
      issue.path[0] === "search" ? "MAINSTAY_ENCRYPTION_SEARCH" : "MAINSTAY_ENCRYPTION_KEYS";
    // The message names key ids, never key material.
    throw new MainstayError("MS_ENCRYPTION_KEYS_INVALID", `${name}: ${issue.message}`);
  }
  return parsed.data;
}
