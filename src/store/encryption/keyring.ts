import { createHmac, hkdfSync } from "node:crypto";

/** A master key from the environment: its id (stored with each data key it wraps) and 32 bytes. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** What the store is given when encryption at rest is on (config/encryption-keys.ts). */
export interface EncryptionOptions {
  /** Master keys; the first is the active one: new data keys are wrapped with it. */
  keys: MasterKey[];
  /**
   * What search may index of encrypted text: `tokens`, keyed hashes of its trigrams
   * (search-tokens.ts); `none`, nothing (search finds names and ids only).
   */
  search: "tokens" | "none";
}

/** A data key (DEK), unwrapped: it seals values, which carry its id. */
export interface DataKey {
  id: string;
  /** AES-256-GCM key for values: the DEK itself. */
  cipher: Buffer;
}

/** The index key, unwrapped: the HMAC keys of blind indexes and search tokens. */
export interface IndexKey {
  id: string;
  /** HMAC key for blind indexes (equality lookups). */
  index: Buffer;
  /** HMAC key for search tokens (trigrams). */
  search: Buffer;
}

/**
 * The keys one store holds in memory: every master key of the environment, and the data
 * keys and index key unwrapped from `encryption_keys` (key-registry.ts fills and refreshes it).
 */
export interface Keyring {
  readonly masters: readonly MasterKey[];
  /** The data key new values are sealed with: the newest live one of the active master. */
  active: DataKey;
  index: IndexKey;
  readonly dataKeys: Map<string, DataKey>;
  /**
   * Data key ids this store cannot unwrap, with the master key id that wraps each
   * (undefined: not in the table), so they are not looked for on every read.
   */
  readonly unreadable: Map<string, string | undefined>;
}

// HKDF (RFC 5869) with a distinct `info` per use: a wrap key, a blind index or a search
// token never reveals anything about another use's key.
export const derive = (secret: Buffer, use: string) =>
  Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `mainstay/v1/${use}`, 32));

/** Stored with each wrapped key, so a different master key under a known id is told apart. */
export const masterFingerprint = (master: MasterKey) =>
  createHmac("sha256", derive(master.key, "fingerprint"))
    .update("mainstay key fingerprint")
    .digest("hex")
    .slice(0, 32);

export const dataKey = (id: string, key: Buffer): DataKey => ({ id, cipher: key });

export const indexKey = (id: string, key: Buffer): IndexKey => ({
  id,
  index: derive(key, "blind-index"),
  search: derive(key, "search"),
});
