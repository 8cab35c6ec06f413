import { diffWords } from "./diff-words.ts";

/** Text made safe inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === undefined || value === null || value === false) return "";
  return escapeHtml(String(value));
}

/** The candidate's reply against the baseline's: removed words struck, added ones marked. */
export function wordDiff(before: string, after: string): Html {
  return html`${diffWords(before, after).map((c) =>
    c.op === " " ? c.text : c.op === "-" ? html`<del>${c.text}</del>` : html`<ins>${c.text}</ins>`,
  )}`;
}

export const pill = (status: string) => html`<span class="pill ${status}">${status}</span>`;

/** A whole page with its styles inline: it opens from disk, offline, anywhere. */
export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.value}
</body>
</html>
`;
}

const STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de;
  --cand: #0969da; --base: #8c959f; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
  margin: 0; padding: 24px 32px; background: #f6f8fa; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; }
.sub { color: var(--muted); margin-bottom: 16px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px;
  min-width: 150px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 22px; font-weight: 600; }
.gate { font-size: 22px; font-weight: 700; padding: 12px 20px; border-radius: 8px; color: #fff; }
.gate.pass { background: var(--pass); } .gate.fail { background: var(--fail); }
.charts { display: flex; gap: 16px; flex-wrap: wrap; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eaeef2; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; color: #fff; }
.pill.pass, .pill.fixed, .pill.safe { background: var(--pass); }
.pill.fail, .pill.regressed, .pill.unsafe { background: var(--fail); }
.pill.skipped { background: var(--warn); }
details { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 8px 0;
  padding: 8px 12px; }
summary { cursor: pointer; font-weight: 600; }
.turn { display: grid; grid-template-columns: 110px 1fr; gap: 2px 12px; margin: 10px 0;
  padding-top: 8px; border-top: 1px dashed var(--line); }
.turn .who { color: var(--muted); font-size: 12px; text-transform: uppercase; }
.meta { color: var(--muted); font-size: 12px; }
del { background: #ffebe9; color: var(--fail); } ins { background: #dafbe1; color: var(--pass);
  text-decoration: none; }
ul.checks { margin: 6px 0; padding-left: 18px; } ul.checks li.fail { color: var(--fail); }
ul.checks li.skipped { color: var(--warn); }
`;
