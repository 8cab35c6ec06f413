export { DEFAULT_CONSOLE_DIST } from "./console-files.ts";
export { consoleRoutes } from "./console-routes.ts";
export { SESSION_TTL_MS, SessionStore } from "./session-store.ts";
