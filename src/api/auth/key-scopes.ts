import type { FastifyRequest } from "fastify";
import { MainstayError } from "../../shared/errors.ts";
import type { ApiKeyScopes } from "../../store/index.ts";
import type { Principal } from "./principal.ts";

/**
 * What a request acts on, as far as scopes go: `undefined` when the caller did not name
 * one, `null` when the route cannot be limited to one (a list of every agent's).
 */
interface Target {
  channel?: string | null;
  agent?: string | null;
}

/** Finds a conversation's channel and agent (the store), for the conversation routes. */
export type ConversationLookup = (
  id: string,
) => Promise<{ channelId: string; agentId: string | null } | undefined>;

const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string | undefined>)[name];
const query = (request: FastifyRequest, name: string) => {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * The routes that honour scopes and what each acts on; a scoped key is refused every
 * other route, so a new route is closed to it by default. `undefined`: the route's object
 * does not exist, and the route answers 404 itself.
 */
async function targetOf(
  request: FastifyRequest,
  route: string,
  conversation: ConversationLookup,
): Promise<Target | undefined | "unscoped"> {
  if (route.startsWith("/api/v1/agents/:id")) return { agent: param(request, "id") };
  if (route.startsWith("/api/v1/conversations/:id")) {
    const found = await conversation(param(request, "id") ?? "");
    return found && { channel: found.channelId, agent: found.agentId };
  }
  if (request.method === "GET" && route === "/api/v1/conversations") {
    return { channel: query(request, "channel"), agent: null };
  }
  if (request.method === "GET" && route === "/api/v1/rollouts") {
    return { agent: query(request, "agent") };
  }
  return "unscoped";
}

function refusal(principal: Principal, why: string) {
  return new MainstayError("MS_FORBIDDEN", `key "${principal.name}" is scoped: ${why}`, 403);
}

function check(
  list: readonly string[] | undefined,
  value: string | null | undefined,
  kind: string,
  principal: Principal,
) {
  if (list === undefined || (value && list.includes(value))) return;
  const allowed = list.join(", ");
  throw refusal(
    principal,
    value
      ? `${kind} "${value}" is outside its scopes (${allowed})`
      : value === null
        ? `this route is not limited to its ${kind}s (${allowed})`
        : `name one of its ${kind}s (${allowed}) in the query`,
  );
}

/** Refuses a scoped key's request that reaches beyond its channels or agents (403). */
export async function enforceScopes(
  request: FastifyRequest,
  principal: Principal,
  route: string,
  conversation: ConversationLookup,
): Promise<void> {
  const scopes: ApiKeyScopes | undefined = principal.scopes;
  if (!scopes) return;
  const target = await targetOf(request, route, conversation);
  if (target === undefined) return;
  if (target === "unscoped") {
    throw refusal(principal, `${request.method} ${route} does not honour scopes`);
  }
  if ("channel" in target) check(scopes.channels, target.channel, "channel", principal);
  if ("agent" in target) check(scopes.agents, target.agent, "agent", principal);
}
