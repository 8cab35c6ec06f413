import { readFileSync } from "node:fs";
import { createBuiltinAgent, loadKnowledgeBase } from "../agents/builtin/index.ts";
import { type AgentSource, checkAgentDocument } from "../agents/index.ts";
import {
  type AgentConfig,
  type Config,
  type LoadedConfig,
  loadPolicy,
  resolveFromConfig,
} from "../config/index.ts";
import { describeError } from "../shared/errors.ts";
import { formatPath } from "../shared/format-path.ts";
import { type Fallback, ProblemList } from "../shared/problem-list.ts";

const AGENT_INVALID = "MS_AGENT_INVALID";

/**
 * What reading the agent needs of the config: the `agent` setting, and what documents may
 * name (absent when that part of the config has problems of its own: then what depends on
 * it is not checked).
 */
export interface AgentContext extends Omit<LoadedConfig, "config"> {
  config: { agent: AgentConfig } & Partial<Pick<Config, "secrets" | "settings">>;
}

/**
 * What the `agent` setting names, read and checked with every file behind it (the agent
 * document, its policy, the knowledge base); `mainstay validate` stops here too. Every
 * problem found is thrown together, at its place in the file it is in.
 */
export function readAgentSource(loaded: AgentContext): AgentSource {
  const problems = new ProblemList();
  const source = checkAgentSource(loaded, problems);
  problems.throwIfAny(AGENT_INVALID);
  return source!;
}

function checkAgentSource(loaded: AgentContext, problems: ProblemList): AgentSource | undefined {
  const config = loaded.config.agent;
  // A file the config names that cannot be read is reported at the field naming it.
  const inConfig = (key: string): Fallback => {
    const pos = loaded.locate?.(["agent", key]);
    const file = loaded.file ?? "mainstay.yaml";
    return { file, line: pos?.line, column: pos?.col, path: formatPath(["agent", key]) };
  };
  const knowledgeAt = (dir: string, fallback: Fallback) => {
    try {
      return loadKnowledgeBase(resolveFromConfig(loaded, dir));
    } catch (e) {
      problems.addError(e, fallback);
      return undefined;
    }
  };
  if (config.type === "builtin") {
    const knowledge = knowledgeAt(config.knowledgeDir, inConfig("knowledgeDir"));
    if (!knowledge) return undefined;
    const { id, version, threshold, handoffText, greetingText, disclosure } = config;
    const agent = createBuiltinAgent({
      id,
      version,
      knowledge,
      threshold,
      handoffText,
      greetingText,
    });
    return { type: "builtin", agent, ...(disclosure && { disclosure }) };
  }
  const file = resolveFromConfig(loaded, config.file);
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (e) {
    problems.add(AGENT_INVALID, [
      { ...inConfig("file"), message: `${file}: cannot read: ${describeError(e)}` },
    ]);
    return undefined;
  }
  const { secrets, settings } = loaded.config;
  const checked = checkAgentDocument(source, file, {
    secrets: secrets && Object.keys(secrets),
    settings,
  });
  problems.add(AGENT_INVALID, checked.problems);
  // What the document names is resolved as `start` resolves it, from the config's folder.
  const inDocument = (key: string): Fallback => {
    const pos = checked.locate([key]);
    return { file, line: pos?.line, column: pos?.col, path: key };
  };
  const { knowledgeDir, policy } = checked.files;
  if (knowledgeDir) knowledgeAt(knowledgeDir, inDocument("knowledgeDir"));
  if (policy) {
    try {
      loadPolicy({ baseDir: loaded.baseDir, config: {} }, policy);
    } catch (e) {
      problems.addError(e, inDocument("policy"));
    }
  }
  return checked.document && { type: "document", file, source, document: checked.document };
}
