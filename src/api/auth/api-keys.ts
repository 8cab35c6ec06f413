import { createHash } from "node:crypto";
import { z } from "zod";
import { bearerSecretSchema } from "../../shared/bearer-token.ts";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";
import type { Principal } from "./principal.ts";
import { ROLES } from "./role-rules.ts";

/** The admin key (MAINSTAY_ADMIN_KEY or the generated one) is always this principal. */
export const ADMIN_PRINCIPAL: Principal = { name: "admin", role: "admin" };

/** A key's name, config or managed: recorded as the actor in the audit log. */
export const keyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, "1-64 letters, digits, . _ @ -")
  .refine((name) => name !== ADMIN_PRINCIPAL.name, '"admin" names the admin key');

const apiKeySchema = z
  .object({
    name: keyNameSchema,
    key: bearerSecretSchema.min(24, "use at least 24 characters"),
    role: z.enum(ROLES),
  })
  .strict();

/** `server.apiKeys`: named keys with a role, besides the admin key. */
export const apiKeysSchema = z
  .array(apiKeySchema)
  .default([])
  .superRefine((keys, ctx) => {
    const names = new Set<string>();
    const secrets = new Set<string>();
    keys.forEach((k, i) => {
      if (names.has(k.name)) {
        ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate name "${k.name}"` });
      }
      if (secrets.has(k.key)) {
        ctx.addIssue({ code: "custom", path: [i, "key"], message: "same key as another entry" });
      }
      names.add(k.name);
      secrets.add(k.key);
    });
  });

export type ApiKeyConfig = z.infer<typeof apiKeySchema>;

export interface ApiKeyring {
  /** The principal whose key `token` is, compared in constant time against every key. */
  identify(token: string): Principal | undefined;
  /** The principal of the key named `name` in the config as it is now. */
  named(name: string): Principal | undefined;
  /** Every name the config's keys hold, the admin key's included. */
  readonly names: ReadonlySet<string>;
}

const digest = (s: string) => createHash("sha256").update(s).digest("hex");

export function apiKeyring(adminKey: string, apiKeys: readonly ApiKeyConfig[]): ApiKeyring {
  const i = apiKeys.findIndex((k) => k.key === adminKey);
  if (i >= 0) {
    throw new MainstayError(
      "MS_CONFIG_INVALID",
      `server.apiKeys[${i}].key: is the admin key; give "${apiKeys[i]!.name}" its own key`,
    );
  }
  // Equal-length digests: the comparison time says nothing about a key's length either.
  const entries = [
    { digest: digest(adminKey), principal: ADMIN_PRINCIPAL },
    ...apiKeys.map((k) => ({ digest: digest(k.key), principal: { name: k.name, role: k.role } })),
  ];
  return {
    identify(token) {
      const presented = digest(token);
      let found: Principal | undefined;
      for (const entry of entries) {
        if (safeEqual(presented, entry.digest)) found = entry.principal;
      }
      return found;
    },
    named: (name) => entries.find((e) => e.principal.name === name)?.principal,
    names: new Set(entries.map((e) => e.principal.name)),
  };
}
