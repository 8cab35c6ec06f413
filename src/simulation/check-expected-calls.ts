import type { KnowledgeBase } from "../agents/builtin/index.ts";
import type { AgentDocument } from "../agents/index.ts";
import type { ToolSpec } from "../agents/providers/index.ts";
import {
  createToolSet,
  handoffTool,
  lookupContactTool,
  searchKnowledgeBaseTool,
  type Tool,
  type ToolStatus,
} from "../agents/tools/index.ts";
import type { Scenario } from "./scenario-schema.ts";

/** One expected tool call of a scenario, checked against the agent's tools without a run. */
export interface ExpectedCallCheck {
  scenario: string;
  name: string;
  arguments: Record<string, unknown>;
  /** `ok`: the agent has the tool and the arguments fit its schema. */
  status: Exclude<ToolStatus, "error">;
  detail?: string;
}

const noKnowledge: KnowledgeBase = { entries: [], search: () => [] };

/** The tools an agent document declares, as the model sees them (name, schema). */
export function toolSpecsOf(document: AgentDocument | undefined): ToolSpec[] {
  return (document?.tools ?? []).map((t) => {
    if (t.type === "http")
      return { name: t.name, description: t.description, parameters: t.parameters };
    const builtin: Record<typeof t.name, () => Tool> = {
      handoff_to_human: handoffTool,
      lookup_contact: () => lookupContactTool(async () => undefined),
      search_knowledge_base: () => searchKnowledgeBaseTool(noKnowledge),
    };
    return builtin[t.name]().spec;
  });
}

/**
 * Every expected tool call of the scenarios put through the agent's tool layer (the same
 * argument checks a model's calls get, `createToolSet`) with tools that do nothing: does
 * the agent have the tool, and do the arguments fit its schema? Offline: nothing is called.
 * An expected call may leave arguments out (they are not compared), so `required` is not
 * enforced; types, patterns and unknown arguments are.
 */
export async function checkExpectedCalls(
  scenarios: readonly Scenario[],
  specs: readonly ToolSpec[],
): Promise<ExpectedCallCheck[]> {
  const tools = createToolSet(specs.map(inert));
  const checks: ExpectedCallCheck[] = [];
  for (const scenario of scenarios) {
    for (const call of scenario.success.tool_calls ?? []) {
      const args = call.arguments ?? {};
      const outcome = await tools.run(
        { name: call.name, arguments: args },
        { conversationId: "offline", contactId: "offline" },
      );
      const status = outcome.status === "error" ? "ok" : outcome.status;
      checks.push({
        scenario: scenario.name,
        name: call.name,
        arguments: args,
        status,
        ...(status === "ok" ? {} : { detail: outcome.content }),
      });
    }
  }
  return checks;
}

function inert(spec: ToolSpec): Tool {
  const { required: _, ...parameters } = spec.parameters;
  return { spec: { ...spec, parameters }, run: async () => ({ content: "" }) };
}
