import type { ToolSpec } from "../providers/chat-provider.ts";

/** What a tool knows about the turn it runs in. */
export interface ToolContext {
  conversationId: string;
  contactId: string;
  /** Aborted when the turn is cancelled; a tool passes it on to any I/O it does. */
  signal?: AbortSignal;
}

/** What the model reads back; `handoff` asks the runtime to give the conversation to a person. */
export interface ToolResult {
  content: string;
  handoff?: { reason: string; detail?: string };
}

/**
 * One tool an agent may call. `run` receives arguments already validated against
 * `spec.parameters` (see `createToolSet`), and reports failures the model should see as
 * `content` rather than by throwing.
 */
export interface Tool {
  spec: ToolSpec;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}
