import { Ajv } from "ajv";
import { z } from "zod";
import { parseYamlSource, problemsError, zodProblems } from "../../shared/yaml-source.ts";
import { placeholdersIn } from "./placeholders.ts";

const INVALID = "MS_AGENT_INVALID";

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _");

/** Documents are stored and shared: they name where a secret is, never the secret. */
const envName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]*$/,
    "the name of an environment variable (e.g. OPENAI_API_KEY), not the secret itself",
  );

const providerSchema = z
  .object({
    type: z.enum(["openai-compatible", "anthropic", "builtin"]),
    model: z.string().min(1).optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    apiKeyEnv: envName.optional(),
  })
  .strict()
  .refine((p) => p.type === "builtin" || p.model !== undefined, {
    message: "model is required for openai-compatible and anthropic providers",
    path: ["model"],
  });

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
  .object({
    type: z.literal("http"),
    name: toolName,
    description: z.string().min(1),
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    /** `{{arg}}` placeholders are filled (URL-encoded) from the call's arguments. */
    url: z.string().regex(/^https?:\/\//, "an http:// or https:// URL"),
    /** JSON Schema of the arguments object the model fills in. */
    parameters: z.record(z.string(), z.unknown()),
    authHeaderEnv: envName.optional(),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict()
  .superRefine((tool, ctx) => {
    const problem = jsonSchemaProblem(tool.parameters);
    if (problem) ctx.addIssue({ code: "custom", path: ["parameters"], message: problem });
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
    provider: providerSchema,
    /** Tried in order when the provider fails (after its retries). */
    fallbacks: z.array(providerSchema).optional(),
    systemPrompt: z.string().min(1),
    /** Every `{{name}}` in the prompt, with its default value; the runtime may override. */
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
    tools: z.array(z.discriminatedUnion("type", [httpToolSchema, builtinToolSchema])).default([]),
    knowledgeDir: z.string().min(1).optional(),
    /** `default`, or a guardrails policy file. */
    policy: z.string().min(1).optional(),
    limits: limitsSchema.prefault({}),
    handoff: handoffSchema.prefault({}),
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
    if (doc.provider.type === "builtin" && !doc.knowledgeDir) {
      ctx.addIssue({
        code: "custom",
        path: ["knowledgeDir"],
        message: "the builtin provider answers from a knowledge base: set knowledgeDir",
      });
    }
  });

export type AgentDocument = z.infer<typeof agentDocumentSchema>;
export type AgentTool = AgentDocument["tools"][number];
export type AgentProvider = AgentDocument["provider"];

/**
 * Parse and validate an agent document. Throws MS_AGENT_INVALID with one line per
 * problem, `file:line:column: field: message`, like mainstay.yaml errors. `${VAR}` is not
 * interpolated: a version must mean the same thing wherever it runs.
 */
export function parseAgentDocument(text: string, file: string): AgentDocument {
  const { doc, locate } = parseYamlSource(text, file, INVALID);
  const parsed = agentDocumentSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  throw problemsError(INVALID, zodProblems(parsed.error, file, locate));
}
