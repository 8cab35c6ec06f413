import { type Span, SpanKind } from "@opentelemetry/api";
import type { Agent } from "../../agents/index.ts";
import type { ChatMessage, ChatProvider, ChatResponse } from "../../agents/providers/index.ts";
import type { Tool } from "../../agents/tools/index.ts";
import { boundedLabel } from "../metrics/bounded-label.ts";
import { handoffReasonLabel } from "../metrics/handoff-reason.ts";
import { observeCalls } from "../observe-calls.ts";
import { inActiveSpan } from "./in-active-span.ts";
import { GEN_AI, recordFailure, textMessage } from "./span-attributes.ts";
import type { Tracing } from "./start-tracing.ts";

/**
 * An `invoke_agent <agent>` span around each turn; the `chat` and `execute_tool` spans of
 * the turn are its children. The handoff reason is recorded as the metrics label is (the
 * model's own words are text, kept only with `captureContent`).
 */
export function traceAgent(agent: Agent, tracing: Tracing): Agent {
  const boundRule = boundedLabel(100);
  return {
    id: agent.id,
    version: agent.version,
    respond(context, signal) {
      const attributes = {
        [GEN_AI.operationName]: "invoke_agent",
        [GEN_AI.agentId]: agent.id,
        [GEN_AI.agentName]: agent.id,
        [GEN_AI.agentVersion]: agent.version,
        [GEN_AI.conversationId]: context.conversationId,
      };
      const name = `invoke_agent ${agent.id}`;
      return inActiveSpan(tracing.tracer, name, { attributes }, async (span) => {
        const reply = await agent.respond(context, signal);
        if (reply.usage) {
          span.setAttribute(GEN_AI.inputTokens, reply.usage.inputTokens);
          span.setAttribute(GEN_AI.outputTokens, reply.usage.outputTokens);
        }
        if (reply.handoff) {
          const reason = handoffReasonLabel(reply.handoff.reason, boundRule);
          span.setAttribute("mainstay.handoff.reason", reason);
        }
        if (tracing.captureContent) {
          span.setAttribute(GEN_AI.inputMessages, json([textMessage("user", context.text)]));
          span.setAttribute(GEN_AI.outputMessages, json([textMessage("assistant", reply.text)]));
        }
        return reply;
      });
    },
  };
}

/** A `chat <model>` span (kind client) for every request the provider client sends. */
export function traceProvider(provider: ChatProvider, tracing: Tracing): ChatProvider {
  return observeCalls<Span>(provider, {
    start(request) {
      const span = tracing.tracer.startSpan(`chat ${request.model}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          [GEN_AI.operationName]: "chat",
          [GEN_AI.providerName]: provider.name,
          [GEN_AI.requestModel]: request.model,
          ...(request.maxTokens !== undefined && { [GEN_AI.requestMaxTokens]: request.maxTokens }),
          ...(request.temperature !== undefined && {
            [GEN_AI.requestTemperature]: request.temperature,
          }),
        },
      });
      if (tracing.captureContent && span.isRecording()) recordInput(span, request.messages);
      return span;
    },
    end(span, outcome) {
      if ("error" in outcome) recordFailure(span, outcome.error);
      else recordResponse(span, outcome.response, tracing.captureContent);
      span.end();
    },
  });
}

/** An `execute_tool <name>` span around each run of the tool. */
export function traceTool(tool: Tool, tracing: Tracing): Tool {
  const { name, description } = tool.spec;
  return {
    spec: tool.spec,
    run(args, ctx) {
      const attributes = {
        [GEN_AI.operationName]: "execute_tool",
        [GEN_AI.toolName]: name,
        [GEN_AI.toolType]: "function",
        [GEN_AI.toolDescription]: description,
        [GEN_AI.conversationId]: ctx.conversationId,
        ...(tracing.captureContent && { [GEN_AI.toolArguments]: json(args) }),
      };
      return inActiveSpan(tracing.tracer, `execute_tool ${name}`, { attributes }, async (span) => {
        const result = await tool.run(args, ctx);
        if (result.handoff) span.setAttribute("mainstay.handoff", true);
        if (tracing.captureContent) span.setAttribute(GEN_AI.toolResult, result.content);
        return result;
      });
    },
  };
}

function recordResponse(span: Span, response: ChatResponse, captureContent: boolean): void {
  span.setAttributes({
    [GEN_AI.responseModel]: response.model,
    [GEN_AI.inputTokens]: response.usage.inputTokens,
    [GEN_AI.outputTokens]: response.usage.outputTokens,
    [GEN_AI.responseFinishReasons]: [response.finishReason],
  });
  if (!captureContent) return;
  const parts: unknown[] = response.text ? [{ type: "text", content: response.text }] : [];
  for (const call of response.toolCalls) {
    parts.push({ type: "tool_call", id: call.id, name: call.name, arguments: call.arguments });
  }
  const output = { role: "assistant", parts, finish_reason: response.finishReason };
  span.setAttribute(GEN_AI.outputMessages, json([output]));
}

/** The conversation sent, in the conventions' form: system text apart, tool calls as parts. */
function recordInput(span: Span, messages: ChatMessage[]): void {
  const system = messages.filter((m) => m.role === "system");
  if (system.length > 0) {
    const instructions = system.map((m) => ({ type: "text", content: m.content }));
    span.setAttribute(GEN_AI.systemInstructions, json(instructions));
  }
  const input = messages
    .filter((m) => m.role !== "system")
    .map((m) => {
      if (m.role === "tool") {
        return {
          role: "tool",
          parts: [{ type: "tool_call_response", id: m.toolCallId, response: m.content }],
        };
      }
      const calls = (m.toolCalls ?? []).map((c) => ({
        type: "tool_call",
        id: c.id,
        name: c.name,
        arguments: c.arguments,
      }));
      const text = m.content ? [{ type: "text", content: m.content }] : [];
      return { role: m.role, parts: [...text, ...calls] };
    });
  span.setAttribute(GEN_AI.inputMessages, json(input));
}

const json = (value: unknown) => JSON.stringify(value);
