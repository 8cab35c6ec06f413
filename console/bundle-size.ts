import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * JavaScript the browser loads before the console is usable: every script and module
 * preload index.html names, gzipped (issue #8: under 200 KB). Prints one JSON object.
 */
export function firstLoadJs(dist = join(import.meta.dirname, "dist")) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/console\/([^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, rawBytes: raw, gzipBytes: gzip };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(firstLoadJs()));
}
