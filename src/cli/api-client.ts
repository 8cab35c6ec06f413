import Fastify, { type FastifyInstance } from "fastify";
import { actAs } from "../api/auth/index.ts";
import { registerErrorHandling } from "../api/error-handler.ts";
import { cliActor } from "../audit/index.ts";
import { type Config, loadConfigFile, storeOptionsFor } from "../config/index.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import { openStore, type Store } from "../store/index.ts";
import type { CommandIo } from "./command.ts";

/** How commands that act on a server's data say where it is. */
export const WHERE = `
Where the data is:
  -c, --config FILE   the server's configuration; its database is used: DATABASE_URL,
                      else storage.databaseUrl, else storage.dataDir (default: mainstay.yaml)
      --url URL       a running server instead, e.g. http://127.0.0.1:3000
      --key KEY       that server's admin key (default: $MAINSTAY_ADMIN_KEY)
  -h, --help          show this help`;

export const WHERE_OPTIONS = {
  config: { type: "string", short: "c" },
  url: { type: "string" },
  key: { type: "string" },
} as const;

export type WhereValues = { config?: string; url?: string; key?: string };

/** The API, in-process on the configured database or over HTTP on a server. */
export interface ApiClient {
  call(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Mounts the routes a command needs on an in-process app over the configured store. */
export type MountRoutes = (app: FastifyInstance, store: Store, config: Config) => Promise<void>;

export async function withApi<T>(
  values: WhereValues,
  io: CommandIo,
  mount: MountRoutes,
  fn: (api: ApiClient) => Promise<T>,
): Promise<T> {
  const api = values.url
    ? remoteApi(values.url, values.key ?? io.env["MAINSTAY_ADMIN_KEY"])
    : await localApi(values.config ?? "mainstay.yaml", io.env, mount);
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

/**
 * The API's own routes, in-process, on the database the server uses (the same
 * `storeOptionsFor`): the CLI answers exactly as a server would. Whoever can read the
 * config and reach its database has admin rights; the audit log names them `cli:<user>`.
 */
async function localApi(
  configFile: string,
  env: NodeJS.ProcessEnv,
  mount: MountRoutes,
): Promise<ApiClient> {
  const { config } = loadConfigFile(configFile, env);
  const store = await openStore(storeOptionsFor(config, env));
  const app = Fastify({ logger: false });
  try {
    registerErrorHandling(app);
    app.addHook("onRequest", actAs({ name: cliActor(env), role: "admin" }));
    await mount(app, store, config);
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    async call(method, url, body) {
      const res = await app.inject({ method, url, ...(body ? { payload: body as object } : {}) });
      return answer(res.statusCode, res.body ? res.json() : {});
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

function remoteApi(baseUrl: string, key: string | undefined): ApiClient {
  if (!key) {
    throw new MainstayError(
      "MS_CLI_USAGE",
      "--url needs the admin key: --key or MAINSTAY_ADMIN_KEY",
    );
  }
  return {
    async call(method, path, body) {
      let res: Response;
      try {
        res = await fetch(new URL(path, baseUrl), {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body ? { "content-type": "application/json" } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
      } catch (e) {
        throw new MainstayError(
          "MS_SERVER_UNREACHABLE",
          `${baseUrl}: ${describeError((e as Error).cause ?? e)}`,
        );
      }
      return answer(res.status, await res.json().catch(() => ({})));
    },
    close: async () => {},
  };
}

/** The response body, or its `{error: {code, message}}` thrown as a MainstayError. */
function answer(status: number, body: unknown): Record<string, unknown> {
  const json = body as Record<string, unknown> & { error?: { code: string; message: string } };
  if (status < 400) return json;
  throw new MainstayError(
    json.error?.code ?? "MS_SERVER_ERROR",
    json.error?.message ?? `server answered ${status}`,
    status,
  );
}
