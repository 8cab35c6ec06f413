/**
 * The tables in docs/architecture.md that follow from the code: which module imports which,
 * and which route file serves which HTTP routes. `npm run docs:architecture` rewrites them
 * between their markers; test/docs/architecture-tables.test.ts fails when they are stale.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");
export const ARCHITECTURE_DOC = join(ROOT, "docs", "architecture.md");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** `src/agents/llm/x.ts` → `agents`; `src/main.ts` → `main.ts`. */
function moduleOf(file: string): string {
  return relative(SRC, file).split(sep)[0]!;
}

/** Every module under src/ and the modules it imports (types included), sorted. */
export function moduleDependencies(): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = moduleOf(file);
    const uses = deps.get(from) ?? new Set<string>();
    deps.set(from, uses);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(SRC + sep)) continue;
      const to = moduleOf(target);
      if (to !== from) uses.add(to);
    }
  }
  return new Map([...deps].sort(([a], [b]) => a.localeCompare(b)));
}

export function moduleDependencyTable(): string {
  const rows = [...moduleDependencies()].map(([module, uses]) => {
    const list = [...uses].sort().map((m) => `\`${m}\``);
    return `| \`${module}\` | ${list.join(", ") || "(nothing)"} |`;
  });
  return ["| module | imports from |", "| --- | --- |", ...rows].join("\n");
}

const ROUTE = /\bapp\.(get|post|put|patch|delete)\(\s*(["`])([^"`]+)\2/g;

/** Each file in src/api/routes/ and the method + path of every route it registers. */
export function routeTable(): string {
  const dir = join(SRC, "api", "routes");
  const rows = readdirSync(dir)
    .filter((name) => name.endsWith(".ts"))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), "utf8");
      const routes = [...text.matchAll(ROUTE)].map(
        ([, method, , path]) =>
          `\`${method!.toUpperCase()} ${path!.replace(/\$\{(\w+)\}/g, ":$1")}\``,
      );
      return `| \`${name}\` | ${routes.join("<br>") || "(helper, no routes)"} |`;
    });
  return ["| file | routes |", "| --- | --- |", ...rows].join("\n");
}

const TABLES: Record<string, () => string> = {
  "module-dependencies": moduleDependencyTable,
  routes: routeTable,
};

/** The document with every generated table replaced by what the code says now. */
export function withGeneratedTables(doc: string): string {
  let out = doc;
  for (const [name, build] of Object.entries(TABLES)) {
    const begin = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const start = out.indexOf(begin);
    const stop = out.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`docs/architecture.md: no ${begin} ... ${end}`);
    out = `${out.slice(0, start + begin.length)}\n${build()}\n${out.slice(stop)}`;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const doc = readFileSync(ARCHITECTURE_DOC, "utf8");
  writeFileSync(ARCHITECTURE_DOC, withGeneratedTables(doc));
  process.stdout.write("docs/architecture.md: generated tables rewritten\n");
}
