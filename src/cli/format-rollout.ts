/** A rollout status (the API's JSON) as a person reads it in a terminal. */
export function formatRolloutStatus(status: Record<string, unknown>): string {
  const spec = status["spec"] as { steps: Record<string, unknown>[] };
  const step = Number(status["step"]);
  const steps = spec.steps
    .map((s, i) => {
      const label =
        "shadow" in s ? `shadow ${s["shadow"]}` : `${Math.round(Number(s["canary"]) * 1000) / 10}%`;
      return i === step ? `[${label}]` : label;
    })
    .join(" → ");
  const lines = [
    `rollout ${status["id"]}: ${status["agentId"]} ${status["baseline"]} → ${status["candidate"]}`,
    `state:   ${status["state"]}, step ${step + 1}/${spec.steps.length}: ${steps}`,
    `share:   ${Math.round(Number(status["share"]) * 1000) / 10}% of new conversations on the candidate`,
  ];
  const current = status["current"] as {
    action: string;
    reason: string;
    evidence: Record<string, unknown>;
  } | null;
  if (current) {
    const e = current.evidence as {
      conversations: { baseline: number; candidate: number };
      stepConversations: number;
      stepNeeds: number;
      gates: Record<string, unknown>[];
    };
    lines.push(
      `now:     ${current.action}: ${current.reason}`,
      `sample:  ${e.conversations.baseline} baseline / ${e.conversations.candidate} candidate conversations; this step ${e.stepConversations}/${e.stepNeeds}`,
      "gates:",
    );
    for (const g of e.gates) lines.push(`  ${gateLine(g)}`);
  }
  const decisions = (status["decisions"] as Record<string, unknown>[]) ?? [];
  if (decisions.length > 0) {
    lines.push("decisions:");
    for (const d of decisions) {
      lines.push(
        `  ${d["createdAt"]}  ${d["action"]} (step ${Number(d["step"]) + 1}) by ${d["actor"]}: ${d["reason"]}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function gateLine(g: Record<string, unknown>): string {
  const pct = (x: number) => `${Math.round(x * 10000) / 100}%`;
  if (g["kind"] === "value") {
    return `${g["metric"]}: ${g["value"] ?? "-"} (max ${g["max"]}, ${g["turns"]} turns) ${g["verdict"]}`;
  }
  const b = g["baseline"] as { n: number; bad: number };
  const c = g["candidate"] as { n: number; bad: number };
  const harm = g["harm"] as { logE: number; threshold: number };
  const rate = (a: { n: number; bad: number }) => (a.n === 0 ? "-" : pct(a.bad / a.n));
  const parts = [
    `${g["metric"]}: baseline ${b.bad}/${b.n} (${rate(b)}), candidate ${c.bad}/${c.n} (${rate(c)})`,
    `harm e-value ${Math.exp(harm.logE).toFixed(2)}/${Math.exp(harm.threshold).toFixed(0)}`,
  ];
  const notWorse = g["notWorse"] as { upperDifference: number; margin: number } | undefined;
  if (notWorse)
    parts.push(`difference ≤ ${pct(notWorse.upperDifference)} (margin ${pct(notWorse.margin)})`);
  return `${parts.join(", ")} → ${g["verdict"]}`;
}
