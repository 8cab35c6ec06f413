import { createGuard } from "./create-guard.ts";
import type { GuardRuntime } from "./detector.ts";
import type { Decision } from "./finding.ts";
import type { Policy, PolicyCase } from "./policy-schema.ts";

export interface CaseResult {
  name: string;
  passed: boolean;
  expected: PolicyCase["expect"];
  decision: Decision;
  /** What differed, for the report: "action", "findings", "text". */
  mismatches: string[];
}

/**
 * Runs the `cases:` written next to a policy against that policy; with `runtime`'s
 * `channelTraits`, a case's `channel` is a channel type and has that type's traits.
 */
export function runPolicyCases(policy: Policy, runtime: GuardRuntime = {}): CaseResult[] {
  const guard = createGuard(policy, runtime);
  return policy.cases.map((c) => {
    const decision = guard.check(c.input);
    const mismatches: string[] = [];
    if (decision.action !== c.expect.action) mismatches.push("action");
    if (c.expect.findings && !sameSet(c.expect.findings, findingTypes(decision)))
      mismatches.push("findings");
    if (c.expect.text !== undefined && c.expect.text !== decision.text) mismatches.push("text");
    return {
      name: c.name,
      passed: mismatches.length === 0,
      expected: c.expect,
      decision,
      mismatches,
    };
  });
}

export function findingTypes(decision: Decision): string[] {
  return [...new Set(decision.findings.map((f) => f.type))].sort();
}

function sameSet(expected: string[], actual: string[]): boolean {
  const want = [...new Set(expected)].sort();
  return want.length === actual.length && want.every((t, i) => t === actual[i]);
}
