import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { MainstayError } from "../../shared/errors.ts";
import type { DataKey, Keyring } from "./keyring.ts";

/**
 * A stored encrypted value: `enc:v1:<data key id>:<base64url(nonce | ciphertext | tag)>`.
 * AES-256-GCM under a data key with a random 96-bit nonce per value (NIST SP 800-38D: at
 * most 2^32 values per key with random nonces, far beyond what one key writes between
 * rotations). The data key id travels with the value, so rows written before a rotation
 * still open.
 */
export const SEALED_PREFIX = "enc:v1:";

const NONCE = 12;
const TAG = 16;

/** Whether a stored value is sealed (anything else was stored as plaintext). */
export const isSealed = (stored: string) => stored.startsWith(SEALED_PREFIX);

/** The data key id of a sealed value, or undefined for plaintext. */
export function sealedKeyId(stored: string): string | undefined {
  if (!isSealed(stored)) return undefined;
  const end = stored.indexOf(":", SEALED_PREFIX.length);
  return end < 0 ? undefined : stored.slice(SEALED_PREFIX.length, end);
}

/**
 * `aad` binds the value to where it lives (table, column, row): a value copied into
 * another row or column does not open there.
 */
export function seal(key: DataKey, aad: string, value: string): string {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv("aes-256-gcm", key.cipher, nonce);
  cipher.setAAD(Buffer.from(`${key.id}|${aad}`));
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  const packed = Buffer.concat([nonce, body, cipher.getAuthTag()]);
  return `${SEALED_PREFIX}${key.id}:${packed.toString("base64url")}`;
}

export function open(keyring: Keyring, aad: string, stored: string): string {
  const keyId = sealedKeyId(stored) ?? "?";
  const key = keyring.dataKeys.get(keyId);
  if (!key) {
    const master = keyring.unreadable.get(keyId);
    throw new MainstayError(
      "MS_ENCRYPTION_KEY_MISSING",
      master === undefined
        ? `a value at ${aad} is encrypted with data key "${keyId}", which encryption_keys does not hold`
        : `a value at ${aad} is encrypted with data key "${keyId}", wrapped by master key "${master}", which MAINSTAY_ENCRYPTION_KEYS does not hold`,
      500,
    );
  }
  const packed = Buffer.from(stored.slice(SEALED_PREFIX.length + key.id.length + 1), "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.cipher, packed.subarray(0, NONCE));
    decipher.setAAD(Buffer.from(`${key.id}|${aad}`));
    decipher.setAuthTag(packed.subarray(packed.length - TAG));
    const body = packed.subarray(NONCE, packed.length - TAG);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new MainstayError(
      "MS_ENCRYPTION_INVALID",
      `the value at ${aad} does not authenticate under data key "${key.id}": altered, or moved from another row`,
      500,
    );
  }
}
