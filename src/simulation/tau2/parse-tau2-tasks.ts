import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { problemsError, schemaProblems } from "../../shared/yaml-source.ts";
import { type Tau2Task, tau2TaskSchema } from "./tau2-task-schema.ts";

/**
 * A tau2-bench task file (a JSON array of tasks, or one task), validated; problems name
 * the file, line and field. JSON is YAML, so the YAML parser gives the positions.
 */
export function parseTau2Tasks(text: string, file: string): Tau2Task[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const message = first.message.split("\n")[0]!;
    throw problemsError("MS_SIM_INVALID", [
      { file, line: pos.line, column: pos.col, path: "", message },
    ]);
  }
  const locate = (path: (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]);
    }
    return undefined;
  };
  const value: unknown = doc.toJS();
  // Picked by shape, so a problem is reported inside the task rather than as "no match".
  const schema = Array.isArray(value) ? z.array(tau2TaskSchema) : tau2TaskSchema;
  const { data, problems } = schemaProblems(schema, value, file, locate);
  if (!data) throw problemsError("MS_SIM_INVALID", problems);
  return Array.isArray(data) ? data : [data];
}
