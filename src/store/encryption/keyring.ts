import { createHmac, hkdfSync } from "node:crypto";

/** A master key from the environment: its id (stored with every value) and 32 bytes. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** What the store is given when encryption at rest is on (config/encryption-keys.ts). */
export interface EncryptionOptions {
  /** The first is the active key: new values are written with it. */
  keys: MasterKey[];
  /**
   * What search may index of encrypted text: `tokens`, keyed hashes of its trigrams
   * (search-tokens.ts); `none`, nothing (search finds names and ids only).
   */
  search: "tokens" | "none";
}

/** The keys derived from one master key, each for one use only. */
export interface DerivedKey {
  id: string;
  /** AES-256-GCM key for values. */
  cipher: Buffer;
  /** HMAC key for blind indexes (equality lookups). */
  index: Buffer;
  /** HMAC key for search tokens (trigrams). */
  search: Buffer;
  /** Stored in `encryption_keys`, so a different key under a known id is caught at start. */
  fingerprint: string;
}

export interface Keyring {
  readonly active: DerivedKey;
  readonly keys: readonly DerivedKey[];
  byId(id: string): DerivedKey | undefined;
}

// HKDF (RFC 5869) with a distinct `info` per use: a blind index or a search token never
// reveals anything about the key that encrypts, and vice versa.
const derive = (master: Buffer, use: string) =>
  Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `mainstay/v1/${use}`, 32));

export function deriveKey(master: MasterKey): DerivedKey {
  return {
    id: master.id,
    cipher: derive(master.key, "field"),
    index: derive(master.key, "blind-index"),
    search: derive(master.key, "search"),
    fingerprint: createHmac("sha256", derive(master.key, "fingerprint"))
      .update("mainstay key fingerprint")
      .digest("hex")
      .slice(0, 32),
  };
}

export function createKeyring(keys: readonly MasterKey[]): Keyring {
  const derived = keys.map(deriveKey);
  const byId = new Map(derived.map((k) => [k.id, k]));
  return { active: derived[0]!, keys: derived, byId: (id) => byId.get(id) };
}
