import { resolve } from "node:path";
import { type KnowledgeBase, loadKnowledgeBase } from "../agents/builtin/index.ts";
import { getAgentVersion } from "../agents/index.ts";
import type { Store } from "../store/index.ts";
import type { KnowledgeFor } from "./judge-pending.ts";

/**
 * The knowledge base each agent version answers from, read once per version: a stored
 * document's `knowledgeDir` (relative to the config, as when the version is served), or
 * the built-in agent's from mainstay.yaml.
 */
export function knowledgeForVersion(deps: {
  store: Store;
  baseDir: string;
  /** The built-in agent of mainstay.yaml: its id and knowledge folder. */
  builtin?: { id: string; knowledgeDir: string };
}): KnowledgeFor {
  const loaded = new Map<string, Promise<KnowledgeBase | undefined>>();
  const read = async (agentId: string, version: string) => {
    if (deps.builtin?.id === agentId) {
      return loadKnowledgeBase(resolve(deps.baseDir, deps.builtin.knowledgeDir));
    }
    const stored = await deps.store.agentVersions.get(agentId, version);
    if (!stored) return undefined;
    const { document } = await getAgentVersion(deps.store, agentId, version);
    return document.knowledgeDir
      ? loadKnowledgeBase(resolve(deps.baseDir, document.knowledgeDir))
      : undefined;
  };
  return (agentId, version) => {
    const key = `${agentId}@${version}`;
    let kb = loaded.get(key);
    if (!kb) {
      // A folder that cannot be read now is tried again on the next call.
      kb = read(agentId, version).catch((e) => {
        loaded.delete(key);
        throw e;
      });
      loaded.set(key, kb);
    }
    return kb;
  };
}
