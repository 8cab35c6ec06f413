/** The console talks to the normal /api/v1 routes with the session cookie (no Bearer). */

export type Role = "viewer" | "agent" | "admin";
export interface Session {
  name: string;
  role: Role;
  csrfToken: string;
}

/** An API answer that was not 2xx, carrying the API's stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = "";
export const setCsrfToken = (token: string) => {
  csrfToken = token;
};

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}) {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers["content-type"] = "application/json";
  // Every cookie-authenticated non-GET request carries the session's CSRF token.
  if (method !== "GET") headers["x-csrf-token"] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } }).error ?? body;
    const { code, message } = error as { code?: string; message?: string };
    throw new ApiError(res.status, code ?? `HTTP_${res.status}`, message ?? res.statusText);
  }
  return body as T;
}

/** A read that some servers may not offer yet: undefined on 404. */
export async function optional<T>(path: string): Promise<T | undefined> {
  try {
    return await api<T>(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2 };
/** The UI hides what a role cannot do; the API refuses it anyway (role-rules.ts). */
export const can = (session: Session, needed: Role) => RANK[session.role] >= RANK[needed];

export const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
};
