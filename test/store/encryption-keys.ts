import type { EncryptionOptions, MasterKey } from "../../src/store/index.ts";

/** A fixed 32-byte test key: `fill` repeated (tests need stable keys, never random ones). */
export const testKey = (id: string, fill: number): MasterKey => ({
  id,
  key: Buffer.alloc(32, fill),
});

export const K1 = testKey("k1", 1);
export const K2 = testKey("k2", 2);

export const encryptionWith = (
  keys: MasterKey[],
  search: EncryptionOptions["search"] = "tokens",
): EncryptionOptions => ({ keys, search });

/** `MAINSTAY_ENCRYPTION_KEYS` for keys. */
export const envKeys = (keys: MasterKey[]) =>
  keys.map((k) => `${k.id}:${k.key.toString("base64")}`).join(",");
