import { createHash, randomBytes } from "node:crypto";
import { appendAudit } from "../../audit/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { ApiKeyRecord, ApiKeyScopes, Store } from "../../store/index.ts";
import type { Principal } from "./principal.ts";
import type { Role } from "./role-rules.ts";

/** Last-used times are written at most this often per key (a write per request is too many). */
const LAST_USED_EVERY_MS = 60_000;

/** Every managed token starts so, which tells it apart from config keys in a leak scan. */
const TOKEN_PREFIX = "msk_";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** 32 random bytes: unguessable, so one SHA-256 without salt or stretching is enough. */
function newToken(): { token: string; tokenHash: string; tokenPrefix: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, tokenHash: hashOf(token), tokenPrefix: token.slice(0, 12) };
}

export interface NewManagedKey {
  name: string;
  role: Role;
  scopes?: ApiKeyScopes;
  expiresAt?: number;
}

/**
 * API keys made through the API, besides the config's. Every request reads its key's row,
 * so a revoke, a rotation or an expiry is refused at once on every instance.
 */
export class ManagedKeys {
  /** When this instance last wrote each key's last-used time. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Names the config's keys (and the admin key) hold: a managed key may not take one. */
    private readonly reservedNames: ReadonlySet<string>,
  ) {}

  /** The principal of a live managed key's token; records the use (at most once a minute). */
  async identify(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const now = this.clock.now();
    const key = await this.store.apiKeys.findLiveByHash(hashOf(token), now);
    if (!key) return undefined;
    if (now - (this.touched.get(key.id) ?? Number.NEGATIVE_INFINITY) >= LAST_USED_EVERY_MS) {
      this.touched.set(key.id, now);
      await this.store.apiKeys.touch(key.id, now, LAST_USED_EVERY_MS);
    }
    return { name: key.name, role: key.role as Role, ...(key.scopes && { scopes: key.scopes }) };
  }

  /**
   * The principal a console session of a managed key acts as: the key's current role, while
   * it is live, so a revoke or an expiry signs its sessions out. A scoped key has none: the
   * console is not scoped, so such a key cannot sign in (`identify` for sign-in says so).
   */
  async named(name: string): Promise<Principal | undefined> {
    const key = await this.store.apiKeys.findLiveByName(name, this.clock.now());
    return key && !key.scopes ? { name: key.name, role: key.role as Role } : undefined;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.apiKeys.list();
  }

  async create(spec: NewManagedKey, by: string) {
    if (this.reservedNames.has(spec.name)) {
      throw new MainstayError(
        "MS_API_KEY_NAME_TAKEN",
        `"${spec.name}" names a key in the config; pick another name`,
        409,
      );
    }
    const now = this.clock.now();
    const { token, tokenHash, tokenPrefix } = newToken();
    const id = newId("key", now);
    const key = {
      id,
      name: spec.name,
      tokenHash,
      tokenPrefix,
      role: spec.role,
      scopes: spec.scopes ?? null,
      expiresAt: spec.expiresAt ?? null,
      createdAt: now,
      createdBy: by,
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.apiKeys.insert(key))) {
        throw new MainstayError(
          "MS_API_KEY_NAME_TAKEN",
          `an API key named "${spec.name}" exists`,
          409,
        );
      }
      const data = { name: spec.name, role: spec.role, scopes: key.scopes };
      await appendAudit(tx, { actor: by, action: "api_key.create", target: id, data }, now);
    });
    return { key: (await this.store.apiKeys.get(id))!, token };
  }

  async rotate(id: string, by: string) {
    const now = this.clock.now();
    const { token, tokenHash, tokenPrefix } = newToken();
    await this.store.transaction(async (tx) => {
      if (!(await tx.apiKeys.rotate(id, { tokenHash, tokenPrefix, by }, now))) {
        throw new MainstayError("MS_NOT_FOUND", `no live API key ${id}`, 404);
      }
      await appendAudit(tx, { actor: by, action: "api_key.rotate", target: id }, now);
    });
    return { key: (await this.store.apiKeys.get(id))!, token };
  }

  async revoke(id: string, by: string): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      if (!(await tx.apiKeys.revoke(id, by, now))) {
        throw new MainstayError("MS_NOT_FOUND", `no API key ${id} that is not revoked`, 404);
      }
      await appendAudit(tx, { actor: by, action: "api_key.revoke", target: id }, now);
    });
  }
}
