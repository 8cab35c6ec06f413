import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { MainstayError } from "../../shared/errors.ts";
import { derive, type MasterKey } from "./keyring.ts";

/** What a wrapped key is bound to: a wrapped key copied to another id or master does not open. */
export interface WrapContext {
  keyId: string;
  kind: "data" | "index";
}

const NONCE = 12;
const TAG = 16;

const wrapKeyOf = (master: MasterKey) => derive(master.key, "wrap");
const aadOf = (context: WrapContext, master: MasterKey) =>
  Buffer.from(`mainstay key|${context.kind}|${context.keyId}|${master.id}`);

/**
 * A key sealed under a master key (AES-256-GCM under a wrap key derived from it, random
 * nonce): `base64url(nonce | ciphertext | tag)`. Only this form is ever stored.
 */
export function wrapKey(master: MasterKey, context: WrapContext, key: Buffer): string {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv("aes-256-gcm", wrapKeyOf(master), nonce);
  cipher.setAAD(aadOf(context, master));
  const body = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url");
}

/** The caller has checked the master key's fingerprint: a failure here is an altered row. */
export function unwrapKey(master: MasterKey, context: WrapContext, wrapped: string): Buffer {
  const packed = Buffer.from(wrapped, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", wrapKeyOf(master), packed.subarray(0, NONCE));
    decipher.setAAD(aadOf(context, master));
    decipher.setAuthTag(packed.subarray(packed.length - TAG));
    return Buffer.concat([
      decipher.update(packed.subarray(NONCE, packed.length - TAG)),
      decipher.final(),
    ]);
  } catch {
    throw new MainstayError(
      "MS_ENCRYPTION_INVALID",
      `the wrapped ${context.kind} key "${context.keyId}" in encryption_keys does not authenticate under master key "${master.id}", whose fingerprint matches: the row was altered`,
      500,
    );
  }
}
