export { recordAdminUse, SELF_AUDITED } from "./admin-use-audit.ts";
export {
  ADMIN_PRINCIPAL,
  type ApiKeyConfig,
  type ApiKeyring,
  apiKeyring,
  apiKeysSchema,
  keyNameSchema,
} from "./api-keys.ts";
export { ManagedKeys } from "./managed-keys.ts";
export { actAs, type Principal, principalOf } from "./principal.ts";
export {
  type CookieSession,
  type ManagedKeyAuth,
  requireApiKey,
  type SessionLookup,
} from "./require-api-key.ts";
export { minimumRole, ROLES, type Role, roleAllows } from "./role-rules.ts";
