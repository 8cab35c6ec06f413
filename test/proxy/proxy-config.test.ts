import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { loadConfigFile } from "../../src/config/index.ts";
import { proxyConfigSchema } from "../../src/proxy/index.ts";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/proxy.yaml");

/** The example as `mainstay start` loads it: the whole file through the config schema. */
function loadExample(env: NodeJS.ProcessEnv) {
  const { proxy } = loadConfigFile(EXAMPLE, env).config;
  assert.ok(proxy, "the example configures the proxy");
  return proxy;
}

test("examples/proxy.yaml takes its upstream from OPENAI_BASE_URL and OPENAI_API_KEY", () => {
  const proxy = loadExample({
    OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
    OPENAI_API_KEY: "sk-x",
  });
  assert.deepEqual(proxy, {
    upstream: { baseUrl: "http://127.0.0.1:11434/v1", apiKey: "sk-x" },
    channelId: "proxy",
    timeoutMs: 60_000,
  });
});

test("without the variables it points at OpenAI and sends no key", () => {
  const proxy = loadExample({});
  assert.equal(proxy.upstream.baseUrl, "https://api.openai.com/v1");
  assert.equal(proxy.upstream.apiKey, undefined);
});

test("a proxy block without an upstream URL is rejected", () => {
  assert.equal(proxyConfigSchema.safeParse({ upstream: { baseUrl: "not a url" } }).success, false);
  assert.equal(proxyConfigSchema.safeParse({}).success, false);
});
