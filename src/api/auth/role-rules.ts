/** Each role can do everything the roles before it can. */
export const ROLES = ["viewer", "agent", "admin"] as const;
export type Role = (typeof ROLES)[number];

type Rule = readonly [method: string, route: string, role: Role];

/**
 * The least role each request needs, by method and route pattern (`*` at the end matches
 * any rest). A request no rule matches needs `admin`, so a new route is safe by default.
 * `agent` is a person answering customers: they reply, take and hand back conversations,
 * and record feedback.
 */
const RULES: readonly Rule[] = [
  // Who is signed in, and the ids that revoke them: before the catch-all GET rule.
  ["GET", "/api/v1/console-sessions", "admin"],
  ["GET", "/api/v1/*", "viewer"],
  ["POST", "/api/v1/conversations/:id/messages", "agent"],
  ["POST", "/api/v1/conversations/:id/handoff", "agent"],
  ["POST", "/api/v1/conversations/:id/handback", "agent"],
  ["POST", "/api/v1/conversations/:id/take", "agent"],
  ["POST", "/api/v1/conversations/:id/feedback", "agent"],
  // The inbox: assignment, notes, labels, closing and reopening (canned responses: admin).
  ["POST", "/api/v1/conversations/:id/assign", "agent"],
  ["POST", "/api/v1/conversations/:id/notes", "agent"],
  ["POST", "/api/v1/conversations/:id/labels", "agent"],
  ["DELETE", "/api/v1/conversations/:id/labels/:label", "agent"],
  ["POST", "/api/v1/conversations/:id/resolve", "agent"],
  ["POST", "/api/v1/conversations/:id/close", "agent"],
  ["POST", "/api/v1/conversations/:id/reopen", "agent"],
  // The policy playground: decisions only, nothing is stored.
  ["POST", "/api/v1/guard", "viewer"],
  ["POST", "/api/v1/guard/tests/run", "viewer"],
];

const matches = (pattern: string, route: string) =>
  pattern.endsWith("*") ? route.startsWith(pattern.slice(0, -1)) : route === pattern;

/** `route` is the route's pattern as registered (`/api/v1/agents/:id/activate`). */
export function minimumRole(method: string, route: string): Role {
  // HEAD is GET without the body (fastify answers it from the GET route).
  const verb = method === "HEAD" ? "GET" : method;
  return RULES.find(([m, pattern]) => m === verb && matches(pattern, route))?.[2] ?? "admin";
}

export const roleAllows = (role: Role, needed: Role) =>
  ROLES.indexOf(role) >= ROLES.indexOf(needed);
