import { MainstayError } from "../shared/errors.ts";
import { undeclaredSecret } from "./versions/index.ts";

/** The config's `secrets`, by name: all of the server's own that an agent document can reach. */
export type Secrets = Readonly<Record<string, string>>;

/**
 * The value of the secret `name`, for `user` (what names it, for the message); "" when its
 * variable is unset (`${VAR:-}`). A stored version may name a secret the config no longer
 * declares: then it cannot run, and `code` says so.
 */
export function declaredSecret(
  secrets: Secrets,
  name: string,
  user: string,
  code = "MS_AGENT_INVALID",
): string {
  if (Object.hasOwn(secrets, name)) return secrets[name]!;
  throw new MainstayError(code, `${user}: ${undeclaredSecret(name, Object.keys(secrets))}`);
}

/** A declared secret that must have a value, as a provider's API key must. */
export function requiredSecret(
  secrets: Secrets,
  name: string,
  user: string,
  code = "MS_AGENT_INVALID",
): string {
  const value = declaredSecret(secrets, name, user, code);
  if (value) return value;
  throw new MainstayError(
    code,
    `${user}: secret "${name}" is empty (the variable its value references is not set)`,
  );
}
