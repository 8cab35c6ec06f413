import { useEffect, useState } from "preact/hooks";

/** Client-side routes under /console (the server answers index.html for /console/*). */
export const BASE = "/console";

export function navigate(path: string) {
  history.pushState(null, "", `${BASE}${path}`);
  dispatchEvent(new PopStateEvent("popstate"));
}

/** The path below /console, e.g. "/inbox/conv_1". */
export function usePath(): string {
  const read = () => location.pathname.slice(BASE.length) || "/";
  const [path, setPath] = useState(read);
  useEffect(() => {
    const update = () => setPath(read());
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return path;
}

/** A real link (keyboard, middle-click) that routes without a reload. */
export function onLinkClick(event: MouseEvent) {
  const a = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  history.pushState(null, "", a.getAttribute("href"));
  dispatchEvent(new PopStateEvent("popstate"));
}
