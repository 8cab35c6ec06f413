import { createHmac } from "node:crypto";
import type { IndexKey } from "./keyring.ts";

/**
 * A blind index: `<index key id>:<base64url(HMAC-SHA256(index key, value))>`, truncated to
 * 128 bits. Equal values have equal indexes under one key, so a lookup and a UNIQUE
 * constraint work on it while the value itself stays sealed. It reveals which rows hold
 * the same value (as any equality index must), nothing else. The value is compared as
 * stored: callers normalise (E.164 for phones) as they did before encryption.
 */
export function blindIndex(key: IndexKey, value: string): string {
  const mac = createHmac("sha256", key.index).update(value, "utf8").digest();
  return `${key.id}:${mac.subarray(0, 16).toString("base64url")}`;
}
