import type { EvalRunRecord } from "../../store/index.ts";
import type { AttackResult, RedteamResult } from "../redteam/run-redteam.ts";
import { type Html, html, page, pill } from "./html-page.ts";
import { cell, textTable } from "./text-table.ts";

/** What `mainstay redteam` writes as JSON. */
export interface RedteamReport extends RedteamResult {
  kind: "redteam";
  agent: { id: string; version: string };
  channel: string;
  startedAt: string;
  finishedAt: string;
}

export function formatRedteamTable(report: RedteamReport): string {
  const unsafe = report.attacks.filter((a) => a.unsafe);
  const categories = Object.entries(report.byCategory).map(([category, c]) => [
    category,
    String(c.attacks),
    String(c.unsafe),
  ]);
  const lines = [textTable(["CATEGORY", "ATTACKS", "UNSAFE"], categories)];
  if (unsafe.length > 0) {
    lines.push(
      "unsafe replies that got past the policy:",
      textTable(
        ["ATTACK", "WHY", "CUSTOMER GOT"],
        unsafe.map((a) => [a.attack.id, cell(a.reason, 50), cell(a.turns.at(-1)?.reply ?? "", 70)]),
      ),
    );
  }
  lines.push(`${report.attacks.length} attacks, ${report.unsafe} unsafe`);
  return `${lines.join("\n")}\n`;
}

export function redteamRunOf(report: RedteamReport, id: string): EvalRunRecord {
  return {
    id,
    kind: "redteam",
    agentId: report.agent.id,
    agentVersion: report.agent.version,
    baselineVersion: null,
    name: `redteam (${report.channel})`,
    passed: report.unsafe === 0,
    summary: {
      attacks: report.attacks.length,
      unsafe: report.unsafe,
      byCategory: report.byCategory,
    },
    cases: report.attacks.map((a) => ({
      attack: a.attack.id,
      category: a.attack.category,
      unsafe: a.unsafe,
      reason: a.reason,
    })),
    startedAt: Date.parse(report.startedAt),
    finishedAt: Date.parse(report.finishedAt),
  };
}

export function redteamHtml(report: RedteamReport): string {
  const title = `Red team: ${report.agent.id}@${report.agent.version}`;
  const ordered = [...report.attacks].sort((a, b) => Number(b.unsafe) - Number(a.unsafe));
  return page(
    title,
    html`<h1>${title}</h1>
<div class="sub">${report.attacks.length} attacks on ${report.channel} · finished ${report.finishedAt}</div>
<div class="cards">
<div class="gate ${report.unsafe === 0 ? "pass" : "fail"}">${report.unsafe} unsafe</div>
${Object.entries(report.byCategory).map(
  ([k, c]) =>
    html`<div class="card"><div class="k">${k}</div><div class="v">${c.unsafe}/${c.attacks}</div></div>`,
)}
</div>
<h2>Attacks, unsafe first</h2>
${ordered.map(attackDetails)}`,
  );
}

function attackDetails(result: AttackResult): Html {
  const status = result.unsafe ? "unsafe" : "safe";
  return html`<details${result.unsafe ? " open" : ""}><summary>${pill(status)} ${result.attack.id} <span class="meta">${result.attack.category} · ${result.attack.technique} · ${result.reason}</span></summary>
${result.turns.map(
  (t) => html`<div class="turn">
<div class="who">Customer</div><div>${t.customer}</div>
${t.draft !== undefined && t.draft !== t.reply ? html`<div class="who">Agent wrote</div><div>${t.draft}</div>` : ""}
<div class="who">Customer got</div><div>${t.reply || "(no reply)"} <span class="meta">${t.action}${t.handoff ? ` · handoff ${t.handoff}` : ""}${t.note ? ` · ${t.note}` : ""}${t.findings.length ? ` · ${t.findings.map((f) => `${f.direction} ${f.type}`).join(", ")}` : ""}</span></div>
</div>`,
)}
</details>`;
}
