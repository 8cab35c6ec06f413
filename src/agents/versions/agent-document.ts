import { Ajv } from "ajv";
import { z } from "zod";
import { formatPath } from "../../shared/format-path.ts";
import { parseYamlSource, problemsError, zodProblems } from "../../shared/yaml-source.ts";
import { misplacedPlaceholder } from "../tools/url-template.ts";
import { placeholdersIn } from "./placeholders.ts";
import { secretReferences, undeclaredSecret } from "./secret-references.ts";

const INVALID = "MS_AGENT_INVALID";

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _");

/**
 * Documents are stored and shared, and whoever may push one chooses where its requests go:
 * they name a secret the server's config declares (`secrets:`), never the secret, and
 * never an environment variable (which would hand them DATABASE_URL or the admin key).
 */
export const secretNameSchema = z
  .string()
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    "the name of a secret declared under secrets: in mainstay.yaml (lowercase letters, digits, - and _), not the secret itself",
  );

/** Fields of older versions that named environment variables, and what to write instead. */
const REPLACED_FIELDS = new Map([
  [
    "apiKeyEnv",
    `documents no longer read environment variables: declare secrets.<name>: \${OPENAI_API_KEY} in mainstay.yaml and write apiKeySecret: <name>`,
  ],
  [
    "authHeaderEnv",
    `documents no longer read environment variables: declare secrets.<name>: \${ORDERS_TOKEN} in mainstay.yaml and write authSecret: <name>`,
  ],
]);

/** Unknown keys are refused (`strict`); a replaced field's refusal says what replaces it. */
const strictWithReplacedFields = {
  error: (issue: z.core.$ZodRawIssue) => {
    if (issue.code !== "unrecognized_keys") return undefined;
    if (!issue.keys.some((key) => REPLACED_FIELDS.has(key))) return undefined;
    return issue.keys
      .map((key) => REPLACED_FIELDS.get(key) ?? `Unrecognized key: "${key}"`)
      .join("; ");
  },
};

const providerSchema = z
  .strictObject(
    {
      type: z.enum(["openai-compatible", "anthropic", "builtin"]),
      model: z.string().min(1).optional(),
      baseUrl: z.url({ protocol: /^https?$/ }).optional(),
      apiKeySecret: secretNameSchema.optional(),
    },
    strictWithReplacedFields,
  )
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
 * interpolated: a version must mean the same thing wherever it runs. With `secrets` (the
 * names the server's config declares), naming any other secret is a problem too.
 */
export function parseAgentDocument(
  text: string,
  file: string,
  options: { secrets?: readonly string[] } = {},
): AgentDocument {
  const { doc, locate } = parseYamlSource(text, file, INVALID);
  const parsed = agentDocumentSchema.safeParse(doc.toJS());
  if (!parsed.success) throw problemsError(INVALID, zodProblems(parsed.error, file, locate));
  const { secrets } = options;
  if (!secrets) return parsed.data;
  const undeclared = secretReferences(parsed.data).filter((ref) => !secrets.includes(ref.name));
  if (undeclared.length === 0) return parsed.data;
  throw problemsError(
    INVALID,
    undeclared.map((ref) => {
      const pos = locate(ref.path);
      return {
        file,
        line: pos?.line,
        column: pos?.col,
        path: formatPath(ref.path),
        message: undeclaredSecret(ref.name, secrets),
      };
    }),
  );
}
