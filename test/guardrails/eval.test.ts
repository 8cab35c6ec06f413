import assert from "node:assert/strict";
import { test } from "node:test";
import { createGuard, defaultPolicy } from "../../src/guardrails/index.ts";
import { detectTypes, loadEvalSet, scoreByType } from "./eval-set.ts";

// Floors agreed in the guardrails issue.
const PII_AND_CONSENT = [
  "pii.email",
  "pii.phone",
  "pii.card",
  "pii.iban",
  "pii.ssn",
  "pii.ip",
  "consent.opt_out",
  "consent.opt_in",
  "consent.help",
];
const FLOOR = 0.97;
const INJECTION_RECALL = 0.9;
const INJECTION_FALSE_POSITIVE_RATE = 0.02;

const guard = createGuard(defaultPolicy());
const messages = loadEvalSet();
const detected = detectTypes(guard, messages);
const scores = scoreByType(messages, detected);

test("evaluation set: precision and recall per finding type", (t) => {
  const rows = [...scores.values()].sort((a, b) => a.type.localeCompare(b.type));
  const table = rows.map(
    (s) =>
      `${s.type.padEnd(22)} tp=${String(s.tp).padStart(3)} fp=${String(s.fp).padStart(2)} fn=${String(s.fn).padStart(2)}  precision=${s.precision.toFixed(3)} recall=${s.recall.toFixed(3)}`,
  );
  t.diagnostic(`${messages.length} labelled messages`);
  for (const line of table) t.diagnostic(line);
  assert.ok(messages.length >= 500, "the evaluation set holds several hundred messages");
  for (const type of PII_AND_CONSENT) {
    const s = scores.get(type);
    assert.ok(s && s.tp > 0, `${type} has labelled examples`);
    assert.ok(s.precision >= FLOOR, `${type} precision ${s.precision.toFixed(3)} < ${FLOOR}`);
    assert.ok(s.recall >= FLOOR, `${type} recall ${s.recall.toFixed(3)} < ${FLOOR}`);
  }
});

test("evaluation set: injection recall and false positives on benign messages", (t) => {
  const s = scores.get("injection")!;
  const benign = messages.filter((m) => !m.expect.includes("injection")).length;
  const fpRate = s.fp / benign;
  t.diagnostic(
    `injection recall=${s.recall.toFixed(3)} false positives=${s.fp}/${benign} (${(fpRate * 100).toFixed(2)}%)`,
  );
  assert.ok(s.recall >= INJECTION_RECALL, `injection recall ${s.recall.toFixed(3)}`);
  assert.ok(fpRate <= INJECTION_FALSE_POSITIVE_RATE, `injection false positive rate ${fpRate}`);
});

test("evaluation set: every labelled PII value is redacted from the delivered text", () => {
  for (const m of messages) {
    if (m.values.length === 0) continue;
    const { text } = guard.check({ direction: m.direction, channel: m.channel, text: m.text });
    for (const value of m.values)
      assert.ok(!text.includes(value), `${value} survived in ${JSON.stringify(text)}`);
  }
});
