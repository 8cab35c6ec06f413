import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StartOptions } from "../../src/main.ts";
import { ADMIN_KEY, auth, KNOWLEDGE_DIR, startTestApp, type TestApp } from "./test-app.ts";

/** The offline agent as a versioned document (id `support`), so versions can be rolled out. */
export const BASELINE_DOCUMENT = `
id: support
provider: { type: builtin }
knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)}
systemPrompt: Answer from the knowledge base.
`;

/** The same agent on an OpenAI-compatible server (the key is the secret `fake-llm`). */
export const llmDocument = (baseUrl: string, model = "fake-1") => `
id: support
provider: { type: openai-compatible, model: ${model}, baseUrl: ${baseUrl}, apiKeySecret: fake-llm }
systemPrompt: Answer the customer.
`;

/** The secrets examples/agents/*.yaml name, as examples/mainstay.yaml declares them. */
export const EXAMPLE_SECRETS = {
  openai: "sk-openai-test",
  anthropic: "sk-anthropic-test",
  "northwind-orders": "orders-token-test",
};
export const EXAMPLE_SECRETS_YAML = `secrets: ${JSON.stringify(EXAMPLE_SECRETS)}\n`;

/**
 * A test app whose agent is BASELINE_DOCUMENT, pushed and activated at start. Its config
 * declares the secret `fake-llm` (sk-test), before any `extraYaml`.
 */
export async function startDocumentAgentApp(
  options: StartOptions & { outbox?: string; callbackUrl?: string; extraYaml?: string } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-doc-"));
  writeFileSync(join(dir, "support.yaml"), BASELINE_DOCUMENT);
  let app: TestApp;
  try {
    app = await startTestApp({
      dataDir: dir,
      agent: `{ type: document, file: ${JSON.stringify(join(dir, "support.yaml"))} }`,
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      ...options,
      extraYaml: `secrets: { fake-llm: sk-test }\n${options.extraYaml ?? ""}`,
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const inject = app.app.inject.bind(app.app);
  return {
    app,
    inject,
    /** The active version, and a helper storing another document as a version. */
    async activeVersion(): Promise<string> {
      return (await inject({ url: "/api/v1/agents/support/versions", headers: auth })).json()
        .active;
    },
    async push(document: string): Promise<string> {
      const res = await inject({
        method: "POST",
        url: "/api/v1/agents/support/versions",
        headers: auth,
        payload: { document },
      });
      if (res.statusCode >= 300) throw new Error(`push failed: ${res.body}`);
      return res.json().version;
    },
    async dispose() {
      await app.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
