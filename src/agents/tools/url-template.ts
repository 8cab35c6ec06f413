// As in versions/placeholders.ts, which checks each one names a declared parameter.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const HAS_PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/;

/** `scheme://authority` of a template, and the path and query after it. */
function partsOf(template: string) {
  const start = template.indexOf("://");
  const afterScheme = start === -1 ? 0 : start + 3;
  const pathStart = template.slice(afterScheme).search(/[/?#]/);
  const authorityEnd = pathStart === -1 ? template.length : afterScheme + pathStart;
  const rest = template.slice(authorityEnd);
  const hash = rest.indexOf("#");
  const beforeHash = hash === -1 ? rest : rest.slice(0, hash);
  const query = beforeHash.indexOf("?");
  return {
    origin: template.slice(0, authorityEnd),
    path: query === -1 ? beforeHash : beforeHash.slice(0, query),
    query: query === -1 ? "" : beforeHash.slice(query),
    fragment: hash === -1 ? "" : rest.slice(hash),
  };
}

/**
 * Where a `{{name}}` may stand in a tool URL: in the path or as a query value. In the
 * scheme, host, port or user info, a query name or the fragment, an argument the model
 * chose would pick the server or the parameter: refused.
 */
export function misplacedPlaceholder(template: string): string | undefined {
  const { origin, query, fragment } = partsOf(template);
  const scheme = origin.split("://")[0] ?? "";
  const where = HAS_PLACEHOLDER.test(scheme)
    ? "the scheme"
    : HAS_PLACEHOLDER.test(origin)
      ? "the host, port or user info"
      : HAS_PLACEHOLDER.test(fragment)
        ? "the fragment"
        : query
              .slice(1)
              .split("&")
              .some((pair) => HAS_PLACEHOLDER.test(pair.split("=")[0] ?? ""))
          ? "a query parameter name"
          : undefined;
  if (where)
    return `a placeholder stands in ${where}; placeholders may fill only the path and query values`;
  return URL.canParse(template.replace(PLACEHOLDER, "x")) ? undefined : "invalid URL";
}

/**
 * The URL with each placeholder filled from `args`, URL-encoded: `/`, `?`, `#`, `\` and `%`
 * are encoded, so a value stays inside its segment or query value; a path segment that a
 * value makes `.`, `..` or empty, which would move the request to another path, is refused
 * (WHATWG URL resolves dot segments, `%2e%2e` included, which encoding `%` rules out).
 */
export function fillUrlTemplate(
  template: string,
  args: Record<string, unknown>,
): { url: URL; used: Set<string> } | { problem: string } {
  const used = new Set<string>();
  let missing: string | undefined;
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_m, key: string) => {
      used.add(key);
      const value = args[key];
      if (value === undefined || value === null) missing ??= key;
      return encodeURIComponent(typeof value === "string" ? value : JSON.stringify(value ?? ""));
    });
  const { origin, path, query, fragment } = partsOf(template);
  const segments = path.split("/").map((segment) => {
    if (!HAS_PLACEHOLDER.test(segment)) return { segment, filled: segment };
    return { segment, filled: fill(segment) };
  });
  if (missing) return { problem: `"${missing}" is required (it is part of the URL)` };
  const moved = segments.find(
    (s) => s.filled !== s.segment && (s.filled === "" || s.filled === "." || s.filled === ".."),
  );
  if (moved) {
    return { problem: `the path segment ${moved.segment} may not be "${moved.filled}"` };
  }
  const filled = origin + segments.map((s) => s.filled).join("/") + fill(query) + fragment;
  if (missing) return { problem: `"${missing}" is required (it is part of the URL)` };
  return { url: new URL(filled), used };
}
