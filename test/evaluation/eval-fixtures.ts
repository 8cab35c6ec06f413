import { resolve } from "node:path";
import pino from "pino";
import { createBuiltinAgent, loadKnowledgeBase } from "../../src/agents/builtin/index.ts";
import { buildAgent, parseAgentDocument } from "../../src/agents/index.ts";
import { loadConfigFile, loadPolicy } from "../../src/config/index.ts";
import {
  type ContactDirectory,
  contactDirectory,
  type EvalTarget,
  type TurnSettings,
} from "../../src/evaluation/index.ts";
import { createGuard } from "../../src/guardrails/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";

export const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const loaded = loadConfigFile(resolve(EXAMPLES, "mainstay.yaml"), {});
/** The example server policy (examples/policies/northwind.yaml). */
export const northwind = createGuard(loadPolicy(loaded));
const knowledge = loadKnowledgeBase(resolve(EXAMPLES, "knowledge"));

/** The example config's built-in agent, behind its policy, as `mainstay eval` builds it. */
export function builtinTarget(): EvalTarget {
  return {
    agent: createBuiltinAgent({ id: "northwind-support", version: "1", knowledge, threshold: 0.4 }),
    screenInbound: northwind.check,
    screenOutbound: northwind.check,
  };
}

export function settings(clock = new ManualClock()): TurnSettings {
  return {
    clock,
    timeoutMs: 5000,
    costOf: (usage, provider, model) =>
      provider === "openai" && model.endsWith("-model")
        ? (usage.inputTokens * 1 + usage.outputTokens * 2) / 1e6
        : null,
  };
}

/** An LLM agent's document on a fake OpenAI-compatible server; `model` picks its script. */
export function modelDocument(baseUrl: string, model: string) {
  return parseAgentDocument(
    `id: northwind-support
provider: { type: openai-compatible, model: ${model}, baseUrl: "${baseUrl}" }
systemPrompt: You are Nora, the support assistant of Northwind Mobile. Never promise refunds.
tools:
  - { type: builtin, name: search_knowledge_base }
  - { type: builtin, name: lookup_contact }
  - { type: builtin, name: handoff_to_human }
knowledgeDir: ${JSON.stringify(resolve(EXAMPLES, "knowledge"))}
limits: { timeoutMs: 5000 }
`,
    `${model}.yaml`,
  );
}

/** An LLM agent document on a fake OpenAI-compatible server; `model` picks the script. */
export function llmTarget(
  baseUrl: string,
  model: string,
  version: string,
  contacts: ContactDirectory = contactDirectory(),
): EvalTarget {
  const document = modelDocument(baseUrl, model);
  const agent = buildAgent(document, version, {
    secrets: {},
    clock: new ManualClock(),
    random: seededRandom(1),
    baseDir: EXAMPLES,
    lookupContact: contacts.lookup,
    logger: pino({ level: "silent" }),
  });
  return { agent, screenInbound: northwind.check, screenOutbound: northwind.check };
}
