export { resolveAdminKey } from "./admin-key.ts";
export { type AppOptions, buildApp } from "./app.ts";
export { DEFAULT_CONSOLE_DIST } from "./console/index.ts";
export { buildHealthApp } from "./health-app.ts";
