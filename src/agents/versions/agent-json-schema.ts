import { z } from "zod";
import { agentDocumentSchema } from "./agent-document.ts";

/**
 * The published JSON Schema of an agent document (docs/agent.schema.json), for editors and
 * CI. Checks that need code (tool parameter schemas compile, every prompt placeholder is
 * declared) run in `mainstay agents push` and `mainstay validate`, not in the schema.
 */
export function agentJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://mainstay.dev/schemas/agent.schema.json",
    title: "Mainstay agent document",
    ...z.toJSONSchema(agentDocumentSchema, { io: "input", unrepresentable: "any" }),
  };
}
