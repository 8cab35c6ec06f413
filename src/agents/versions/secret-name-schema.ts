import { z } from "zod";

/**
 * Documents are stored and shared, and whoever may push one chooses where its requests go:
 * they name a secret the server's config declares (`secrets:`), never the secret, and
 * never an environment variable (which would hand them DATABASE_URL or the admin key).
 */
export const secretNameSchema = z
  .string()
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    "the name of a secret declared under secrets: in mainstay.yaml (lowercase letters, digits, - and _), not the secret itself",
  );
