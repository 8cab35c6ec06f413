import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenarios, type ScenarioSet } from "../../src/simulation/index.ts";

/** A scenario file written to a fresh folder, loaded as `mainstay simulate` loads it. */
export function scenariosFrom(yaml: string, name = "scenarios.yaml"): ScenarioSet {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-sim-"));
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return loadScenarios([file]);
}

/** A customer who wants to return a phone; the agent must look the policy up and say 30 days. */
export const RETURN_SCENARIO = `
scenarios:
  - name: return a phone
    goal: Return the phone delivered last week.
    knows: [Delivered 8 days ago]
    maxTurns: 4
    success:
      tool_calls: [search_knowledge_base]
      must_say: [30 days]
      never_say: [guarantee]
      handoff: false
`;
