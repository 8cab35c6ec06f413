import { Ajv } from "ajv";
import { z } from "zod";
import { providerDefinition, providerEntrySchema } from "../providers/registry.ts";
import { misplacedPlaceholder } from "../tools/url-template.ts";
import { disclosureSchema } from "../turn/disclosure.ts";
import { placeholdersIn } from "./placeholders.ts";
import { strictWithReplacedFields } from "./replaced-fields.ts";
import { secretNameSchema } from "./secret-name-schema.ts";

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _");

// OpenAI and Anthropic both restrict function names to this.
const toolName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 letters, digits, _ and -");

const ajv = new Ajv({ strict: true, allowUnionTypes: true, addUsedSchema: false });

/** Ajv's reason when `schema` is not a JSON Schema it can compile, else undefined. */
function jsonSchemaProblem(schema: Record<string, unknown>): string | undefined {
  if (schema["type"] !== "object") return 'must be a JSON Schema with type: "object"';
  try {
    ajv.compile(schema);
    return undefined;
  } catch (e) {
    return `not a valid JSON Schema: ${(e as Error).message}`;
  }
}

const httpToolSchema = z
  .strictObject(
    {
      type: z.literal("http"),
      name: toolName,
      description: z.string().min(1),
      method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
      /** `{{arg}}` placeholders are filled (URL-encoded) from the call's arguments. */
      url: z.string().regex(/^https?:\/\//, "an http:// or https:// URL"),
      /** JSON Schema of the arguments object the model fills in. */
      parameters: z.record(z.string(), z.unknown()),
      /** A declared secret, sent as `Authorization: Bearer <value>`. */
      authSecret: secretNameSchema.optional(),
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    },
    strictWithReplacedFields,
  )
  .superRefine((tool, ctx) => {
    const problem = jsonSchemaProblem(tool.parameters);
    if (problem) ctx.addIssue({ code: "custom", path: ["parameters"], message: problem });
    const misplaced = misplacedPlaceholder(tool.url);
    if (misplaced) ctx.addIssue({ code: "custom", path: ["url"], message: misplaced });
    const properties = (tool.parameters["properties"] ?? {}) as Record<string, unknown>;
    for (const name of placeholdersIn(tool.url)) {
      if (!(name in properties)) {
        ctx.addIssue({
          code: "custom",
          path: ["url"],
          message: `unknown placeholder {{${name}}}: not a property in parameters`,
        });
      }
    }
  });

const builtinToolSchema = z
  .object({
    type: z.literal("builtin"),
    name: z.enum(["handoff_to_human", "lookup_contact", "search_knowledge_base"]),
  })
  .strict();

const limitsSchema = z
  .object({
    maxTokens: z.number().int().min(1).max(1_000_000).default(1024),
    /** Absent: the provider's default. */
    temperature: z.number().min(0).max(2).optional(),
    maxToolRounds: z.number().int().min(0).max(20).default(3),
    timeoutMs: z.number().int().min(1000).max(600_000).default(20_000),
  })
  .strict();

const handoffSchema = z
  .object({
    /** Hand off when the reply's confidence (0..1) is below this. */
    onLowConfidence: z.number().min(0).max(1).optional(),
    /** Negative customer messages in a row before handing off; 0 turns it off. Default: the server's `handoff.negativeSentimentStreak`. */
    negativeSentimentStreak: z.number().int().min(0).max(20).optional(),
    /** What the customer is told when a person takes over. */
    message: z.string().min(1).optional(),
  })
  .strict();

export const agentDocumentSchema = z
  .object({
    id: slug,
    description: z.string().optional(),
    provider: providerEntrySchema,
    /** Tried in order when the provider fails (after its retries). */
    fallbacks: z.array(providerEntrySchema).optional(),
    systemPrompt: z.string().min(1),
    /** Every `{{name}}` in the prompt, with its default value; the runtime may override. */
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
    tools: z.array(z.discriminatedUnion("type", [httpToolSchema, builtinToolSchema])).default([]),
    knowledgeDir: z.string().min(1).optional(),
    /** `default`, or a guardrails policy file. */
    policy: z.string().min(1).optional(),
    limits: limitsSchema.prefault({}),
    handoff: handoffSchema.prefault({}),
    /** Put in front of the first automated message, and the first after a handback. */
    disclosure: disclosureSchema.optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    for (const name of placeholdersIn(doc.systemPrompt)) {
      if (!(name in doc.variables)) {
        ctx.addIssue({
          code: "custom",
          path: ["systemPrompt"],
          message: `unknown placeholder {{${name}}}: declare it under variables`,
        });
      }
    }
    const seen = new Set<string>();
    doc.tools.forEach((tool, i) => {
      if (seen.has(tool.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["tools", i, "name"],
          message: "duplicate tool name",
        });
      }
      seen.add(tool.name);
      if (tool.name === "search_knowledge_base" && !doc.knowledgeDir) {
        ctx.addIssue({
          code: "custom",
          path: ["tools", i, "name"],
          message: "search_knowledge_base needs knowledgeDir",
        });
      }
    });
    if (providerDefinition(doc.provider.type).knowledgeAgent && !doc.knowledgeDir) {
      ctx.addIssue({
        code: "custom",
        path: ["knowledgeDir"],
        message: `the ${doc.provider.type} provider answers from a knowledge base: set knowledgeDir`,
      });
    }
  });

export type AgentDocument = z.infer<typeof agentDocumentSchema>;
export type AgentTool = AgentDocument["tools"][number];
export type AgentProvider = AgentDocument["provider"];
