export { resolveAdminKey } from "./admin-key.ts";
export { type AppOptions, buildApp } from "./app.ts";
