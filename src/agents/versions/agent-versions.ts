import { MainstayError } from "../../shared/errors.ts";
import type { AgentVersionRecord, Repositories } from "../../store/index.ts";
import type { AgentDocument } from "./agent-document.ts";
import { canonicalJson, versionOf } from "./content-hash.ts";
import { parseAgentDocument } from "./parse-agent-document.ts";
import type { Settings } from "./setting-references.ts";

export interface StoredAgentVersion extends Omit<AgentVersionRecord, "document"> {
  document: AgentDocument;
}

/**
 * Validate an agent document and store it as a version. Pushing a document equal to a
 * stored one (same content, any layout) stores nothing and returns that version with
 * `created: false`. `expectedId`, when given, must be the document's id. Every secret the
 * document names must be one of `secrets`, the names the server's config declares; with
 * `settings`, every `${NAME}` must be a declared setting. The version keeps the references.
 */
export async function pushAgentVersion(
  repos: Repositories,
  input: {
    source: string;
    file: string;
    expectedId?: string;
    secrets: readonly string[];
    settings?: Settings;
  },
  now: number,
) {
  const { secrets, settings } = input;
  const doc = parseAgentDocument(input.source, input.file, { secrets, settings });
  if (input.expectedId !== undefined && doc.id !== input.expectedId) {
    throw new MainstayError(
      "MS_AGENT_INVALID",
      `${input.file}: id: "${doc.id}" is not the agent "${input.expectedId}" it is pushed to`,
      400,
    );
  }
  const { record, created } = await repos.agentVersions.push(
    {
      agentId: doc.id,
      version: versionOf(doc),
      document: canonicalJson(doc),
      source: input.source,
    },
    now,
  );
  return { agentId: record.agentId, version: record.version, createdAt: record.createdAt, created };
}

export async function getAgentVersion(
  repos: Repositories,
  agentId: string,
  version: string,
): Promise<StoredAgentVersion> {
  const record = await repos.agentVersions.get(agentId, version);
  if (!record) {
    throw new MainstayError("MS_NOT_FOUND", `agent version ${agentId}@${version} not found`, 404);
  }
  // Validated when it was pushed; stored versions are trusted.
  return { ...record, document: JSON.parse(record.document) as AgentDocument };
}

/** An agent's versions, newest first, and which one is active (null when none is). */
export async function listAgentVersions(repos: Repositories, agentId: string) {
  const [records, active] = await Promise.all([
    repos.agentVersions.list(agentId),
    repos.agentVersions.active(agentId),
  ]);
  if (records.length === 0) {
    throw new MainstayError("MS_NOT_FOUND", `agent ${agentId} has no versions`, 404);
  }
  return {
    agentId,
    active: active?.version ?? null,
    versions: records.map((r) => ({ version: r.version, createdAt: r.createdAt })),
  };
}

/** Make a stored version the one new conversations use; returns the one it replaces. */
export async function activateAgentVersion(
  repos: Repositories,
  agentId: string,
  version: string,
  now: number,
) {
  await getAgentVersion(repos, agentId, version);
  const previous = await repos.agentVersions.active(agentId);
  const active = await repos.agentVersions.activate(agentId, version, now);
  return { ...active, previous: previous?.version ?? null };
}
