/**
 * `npm run train:guard:data -- --clones DIR --out DIR`: copies the files each public source
 * of training-sources.ts needs, at its pinned commit, out of local git clones (one per
 * repository, named `owner+name` or `owner/name` under DIR) into the layout `train:guard
 * --data` reads. Nothing is downloaded and nothing lands in this repository.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { PUBLIC_SOURCES, type TrainingSource } from "./training-sources.ts";

export function layOutSource(source: TrainingSource, clones: string, out: string): number {
  const clone = [source.repo.replace("/", "+"), source.repo]
    .map((name) => join(clones, name))
    .find((path) => existsSync(path));
  if (!clone) throw new Error(`no clone of ${source.repo} under ${clones}`);
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", clone, ...args], { maxBuffer: 1 << 28 });
  const paths = source.files.flatMap((path) =>
    path.endsWith("/")
      ? String(git("ls-tree", "-r", "--name-only", source.commit, "--", path))
          .split("\n")
          .filter(Boolean)
      : [path],
  );
  for (const path of paths) {
    const target = join(out, source.repo.replace("/", "+"), path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, git("show", `${source.commit}:${path}`));
  }
  return paths.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { clones: { type: "string" }, out: { type: "string" } },
  });
  if (!values.clones || !values.out) {
    process.stderr.write("usage: npm run train:guard:data -- --clones DIR --out DIR\n");
    process.exit(2);
  }
  for (const source of PUBLIC_SOURCES) {
    try {
      const count = layOutSource(source, values.clones, values.out);
      process.stdout.write(`${source.repo} @ ${source.commit.slice(0, 8)}: ${count} files\n`);
    } catch (e) {
      process.stderr.write(`${source.repo}: ${(e as Error).message.split("\n")[0]}\n`);
      process.exitCode = 1;
    }
  }
}
