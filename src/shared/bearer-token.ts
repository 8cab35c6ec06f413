import { z } from "zod";

// RFC 9110 §11.2 token68, the form of a Bearer credential (RFC 6750 §2.1).
const TOKEN68 = "[A-Za-z0-9\\-._~+/]+=*";

// The scheme is case-insensitive (RFC 9110 §11.1); one space, then the token, then nothing:
// a lenient parser lets `Bearer <key> anything` through as if it were the key.
const BEARER = new RegExp(`^bearer (${TOKEN68})$`, "i");

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other form. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** A key or token callers send as `Bearer <token>`, so it must be token68 characters. */
export const bearerSecretSchema = z
  .string()
  .regex(
    new RegExp(`^${TOKEN68}$`),
    "sent as `Authorization: Bearer <key>`: letters, digits and - . _ ~ + / (then = padding only)",
  );
