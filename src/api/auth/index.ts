export {
  ADMIN_PRINCIPAL,
  type ApiKeyConfig,
  type ApiKeyring,
  apiKeyring,
  apiKeysSchema,
} from "./api-keys.ts";
export { actAs, type Principal, principalOf } from "./principal.ts";
export { type CookieSession, requireApiKey, type SessionLookup } from "./require-api-key.ts";
export { minimumRole, ROLES, type Role, roleAllows } from "./role-rules.ts";
