import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { MainstayError } from "../../shared/errors.ts";

/** Where `npm run build:console` writes the console (repository root/console/dist). */
export const DEFAULT_CONSOLE_DIST = resolve(import.meta.dirname, "../../../console/dist");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

/** Vite names every file under assets/ after a hash of its content: it never changes. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Pages the console serves may not be framed by another site (clickjacking) and load
 * nothing from elsewhere (the issue: no CDN). Inline styles stay allowed for chart code.
 */
const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mainstay console not built</title></head>
<body><h1>The console is not built</h1>
<p>Run <code>npm run build:console</code> in the Mainstay folder (npm ci and npm start do it
for you), then reload this page.</p></body></html>
`;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

/** The file `rest` names inside `dist`; refuses anything that would leave it. */
function fileIn(dist: string, rest: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw new MainstayError("MS_BAD_REQUEST", "malformed path", 400);
  }
  const file = resolve(dist, `.${sep}${decoded}`);
  const inside = relative(dist, file);
  const leaves = inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  if (leaves || decoded.includes("\0")) {
    throw new MainstayError("MS_BAD_REQUEST", "path leaves the console folder", 400);
  }
  return file;
}

/**
 * `/console` and everything under it: files from the built console, and index.html for
 * any other path without an extension (the console's own page routes).
 */
export async function consoleFiles(app: FastifyInstance, opts: { dist: string }) {
  const dist = resolve(opts.dist);
  const index = join(dist, "index.html");
  let warned = false;

  const send = (reply: FastifyReply, file: string, cache: string) =>
    reply
      .headers(SECURITY_HEADERS)
      .header("cache-control", cache)
      .type(CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream")
      .send(createReadStream(file));

  const sendIndex = async (reply: FastifyReply) => {
    if (await isFile(index)) return send(reply, index, "no-cache");
    if (!warned) {
      app.log.warn({ dist }, "the console is not built; run `npm run build:console`");
      warned = true;
    }
    return reply
      .status(503)
      .headers(SECURITY_HEADERS)
      .header("cache-control", "no-store")
      .type(CONTENT_TYPES[".html"]!)
      .send(MISSING_BUILD);
  };

  app.get("/console", (_request, reply) => sendIndex(reply));

  app.get<{ Params: { "*": string } }>("/console/*", async (request, reply) => {
    const rest = request.params["*"];
    const file = fileIn(dist, rest);
    if (file !== dist && (await isFile(file))) {
      return send(reply, file, rest.startsWith("assets/") ? IMMUTABLE : "no-cache");
    }
    if (extname(file) !== "") {
      throw new MainstayError("MS_NOT_FOUND", `no console file ${rest}`, 404);
    }
    return sendIndex(reply);
  });
}
