import { randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { Clock } from "../../shared/clock.ts";
import type { CookieSession, Principal, SessionLookup } from "../auth/index.ts";
import { readCookie, SESSION_COOKIE } from "./session-cookie.ts";

/** How long a console sign-in lasts (the contract: 12 hours), in ms. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

interface StoredSession extends CookieSession {
  expiresAt: number;
}

/** 32 random bytes: unguessable, whatever the seeded `Random` of tests does. */
const token = () => randomBytes(32).toString("base64url");

/**
 * Console sign-ins, kept in this process's memory: a restart signs everyone out, and
 * with several instances a browser must stay on the one it signed in to.
 */
export class SessionStore implements SessionLookup {
  private readonly sessions = new Map<string, StoredSession>();

  constructor(
    private readonly clock: Clock,
    /** How long a sign-in lasts, in ms. */
    readonly ttlMs = SESSION_TTL_MS,
  ) {}

  create(principal: Principal): { id: string; session: CookieSession } {
    this.prune();
    const id = token();
    const session = { principal, csrfToken: token(), expiresAt: this.clock.now() + this.ttlMs };
    this.sessions.set(id, session);
    return { id, session };
  }

  get(id: string): CookieSession | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  sessionOf(request: FastifyRequest): CookieSession | undefined {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    return id === undefined ? undefined : this.get(id);
  }

  /** Expired sessions nobody came back with would otherwise stay until the restart. */
  private prune(): void {
    const now = this.clock.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(id);
    }
  }
}
