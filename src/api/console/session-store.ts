import { createHash, createHmac, randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { Clock } from "../../shared/clock.ts";
import { safeEqual } from "../../shared/hmac.ts";
import type { ConsoleSessionRecord, Store } from "../../store/index.ts";
import type {
  ApiKeyring,
  CookieSession,
  ManagedKeys,
  Principal,
  SessionLookup,
} from "../auth/index.ts";
import { SESSION_COOKIE } from "./session-cookie.ts";

/** How long a console sign-in lasts (the contract: 12 hours), in ms. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

/**
 * The CSRF token of a session, derived from its cookie (OWASP CSRF cheat sheet, HMAC-based
 * token): the page can be given it again after a reload although only its hash is stored,
 * and another site's page, which never sees the HttpOnly cookie, cannot compute it.
 */
const csrfTokenOf = (id: string) =>
  createHmac("sha256", id).update("mainstay console csrf").digest("base64url");

/** The session's name in the API (`/api/v1/console-sessions/:id`): the cookie's hash. */
export const sessionIdOf = sha256;

/** A CSRF token in the form the store keeps. */
const csrfHashOf = sha256;

/**
 * Console sign-ins, kept in the store so every instance knows them: a sign-in on one
 * instance works on the others, and a revoke or an expiry applies on all at once (each
 * request reads the row). A session acts with the role its key has now; a key removed from
 * the config signs its sessions out.
 */
export class SessionStore implements SessionLookup {
  constructor(
    private readonly store: Store,
    private readonly keyring: ApiKeyring,
    private readonly clock: Clock,
    /** How long a sign-in lasts, in ms. */
    readonly ttlMs = SESSION_TTL_MS,
    /** Keys made through the API, looked up when the config has no key of the name. */
    private readonly managed?: Pick<ManagedKeys, "named">,
  ) {}

  /** A new session: the cookie value to set and its CSRF token. */
  async create(principal: Principal): Promise<{ id: string; csrfToken: string }> {
    const now = this.clock.now();
    // 32 random bytes: unguessable, whatever the seeded `Random` of tests does.
    const id = randomBytes(32).toString("base64url");
    const csrfToken = csrfTokenOf(id);
    // Expired rows would otherwise stay; sign-ins are rare enough to sweep here.
    await this.store.consoleSessions.sweep(now);
    await this.store.consoleSessions.insert({
      idHash: sessionIdOf(id),
      csrfHash: csrfHashOf(csrfToken),
      principalName: principal.name,
      principalRole: principal.role,
      createdAt: now,
      expiresAt: now + this.ttlMs,
    });
    return { id, csrfToken };
  }

  /** The live session of a cookie value, and its CSRF token. */
  async get(id: string): Promise<(CookieSession & { csrfToken: string }) | undefined> {
    const record = await this.store.consoleSessions.findLive(sessionIdOf(id), this.clock.now());
    const session = record && (await this.toSession(record));
    return session && { ...session, csrfToken: csrfTokenOf(id) };
  }

  /** Signs one session out; false when it was not live. */
  revoke(id: string): Promise<boolean> {
    return this.store.consoleSessions.revoke(sessionIdOf(id), this.clock.now());
  }

  async sessionOf(request: FastifyRequest): Promise<CookieSession | undefined> {
    const id = request.cookies[SESSION_COOKIE];
    return id ? this.get(id) : undefined;
  }

  private async toSession(record: ConsoleSessionRecord): Promise<CookieSession | undefined> {
    const principal =
      this.keyring.named(record.principalName) ?? (await this.managed?.named(record.principalName));
    return (
      principal && {
        principal,
        csrfMatches: (token) => safeEqual(csrfHashOf(token), record.csrfHash),
      }
    );
  }
}
