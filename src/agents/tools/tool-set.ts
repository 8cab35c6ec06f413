import { Ajv } from "ajv";
import { type Clock, systemClock } from "../../shared/clock.ts";
import { describeError, MainstayError } from "../../shared/errors.ts";
import type { ToolCallRequest, ToolSpec } from "../providers/chat-provider.ts";
import type { Tool, ToolContext, ToolResult } from "./tool.ts";
import { DEFAULT_MAX_RESULT_BYTES, truncateResult } from "./truncate-result.ts";

export type ToolStatus = "ok" | "unknown_tool" | "invalid_arguments" | "error";

/** A tool call's result as the model sees it, with how it went and how long it took. */
export interface ToolOutcome extends ToolResult {
  status: ToolStatus;
  durationMs: number;
}

/** The tools of one agent: their specs for the provider, and a guarded way to run them. */
export interface ToolSet {
  readonly specs: ToolSpec[];
  /** Never rejects for a tool's failure: that becomes `content` for the model. */
  run(call: Pick<ToolCallRequest, "name" | "arguments">, ctx: ToolContext): Promise<ToolOutcome>;
}

export interface ToolSetOptions {
  clock?: Clock;
  /** Cap on every result, whatever the tool; defaults to `DEFAULT_MAX_RESULT_BYTES`. */
  maxResultBytes?: number;
}

interface Entry {
  tool: Tool;
  /** What is wrong with the arguments, or undefined when they match the schema. */
  check(args: unknown): string | undefined;
}

/**
 * Compiles every schema once, up front, so a bad schema fails at startup. Models get
 * arguments wrong and tools fail; both are reported back to the model, which can retry or
 * tell the customer, instead of failing the turn. Only the turn's cancellation is thrown.
 */
export function createToolSet(tools: readonly Tool[], options: ToolSetOptions = {}): ToolSet {
  const clock = options.clock ?? systemClock;
  const maxBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  // The options agent documents are validated with (versions/agent-document.ts), so a
  // schema `mainstay validate` accepts compiles here too.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    addUsedSchema: false,
  });
  const entries = new Map<string, Entry>();
  for (const tool of tools) {
    const { name, parameters } = tool.spec;
    if (entries.has(name)) throw toolError(name, "is declared twice");
    let validate: ReturnType<typeof ajv.compile>;
    try {
      validate = ajv.compile(parameters);
    } catch (e) {
      throw toolError(name, `has an invalid parameters schema: ${describeError(e)}`);
    }
    const check = (args: unknown) =>
      validate(args) ? undefined : ajv.errorsText(validate.errors, { dataVar: "arguments" });
    entries.set(name, { tool, check });
  }
  return {
    specs: tools.map((tool) => tool.spec),
    async run(call, ctx) {
      const started = clock.now();
      const result = await attempt(entries.get(call.name), call, ctx);
      const content = truncateResult(result.content, maxBytes);
      return { ...result, content, durationMs: clock.now() - started };
    },
  };
}

async function attempt(
  entry: Entry | undefined,
  call: Pick<ToolCallRequest, "name" | "arguments">,
  ctx: ToolContext,
): Promise<ToolResult & { status: ToolStatus }> {
  if (!entry) return { status: "unknown_tool", content: `unknown tool "${call.name}"` };
  const problem = entry.check(call.arguments);
  if (problem) return { status: "invalid_arguments", content: `invalid arguments: ${problem}` };
  try {
    return { status: "ok", ...(await entry.tool.run(call.arguments, ctx)) };
  } catch (e) {
    if (ctx.signal?.aborted) throw e;
    return { status: "error", content: `tool error: ${describeError(e)}` };
  }
}

function toolError(name: string, problem: string): MainstayError {
  return new MainstayError("MS_TOOL_INVALID", `tool "${name}" ${problem}`);
}
