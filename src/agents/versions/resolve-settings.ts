import { MainstayError } from "../../shared/errors.ts";
import { formatPath } from "../../shared/format-path.ts";
import { type AgentDocument, agentDocumentSchema } from "./agent-document.ts";
import {
  fillSettings,
  referenceProblem,
  type Settings,
  settingFields,
  withFieldValues,
} from "./setting-references.ts";

/**
 * The document a version runs as on this server: each `${NAME}` replaced by this server's
 * setting, and the result checked as a document is. A version stores the references, so a
 * setting removed or changed since it was pushed shows here, as MS_AGENT_INVALID naming
 * `user` (the agent) and the field. A document without references is returned as it is.
 */
export function resolveSettings(
  doc: AgentDocument,
  settings: Settings,
  user: string,
): AgentDocument {
  const fields = settingFields(doc);
  if (fields.length === 0) return doc;
  const problems = fields.flatMap((field) =>
    field.references.flatMap((ref) => {
      const problem = referenceProblem(ref, settings);
      return problem ? [`${user}: ${formatPath(field.path)}: ${problem}`] : [];
    }),
  );
  if (problems.length > 0) throw new MainstayError("MS_AGENT_INVALID", problems.join("\n"));
  const resolved = withFieldValues(
    doc,
    fields.map((field) => ({ path: field.path, value: fillSettings(field, settings) })),
  );
  const checked = agentDocumentSchema.safeParse(resolved);
  if (checked.success) return resolved;
  throw new MainstayError(
    "MS_AGENT_INVALID",
    checked.error.issues
      .map((issue) => `${user}: ${formatPath(issue.path)}: ${issue.message}`)
      .join("\n"),
  );
}
