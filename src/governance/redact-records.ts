/**
 * Irreversible redactions shared by retention and erasure. Each keeps what aggregate
 * figures and the pipeline read (ids, actions, rule names, finding types and scores) and
 * drops what a person wrote or what identifies them.
 */

type Json = Record<string, unknown>;

/** Keys of event data that never carry what a person wrote or who they are. */
const EVENT_KEYS = new Set([
  "messageId",
  "replyId",
  "direction",
  "action",
  "rule",
  "reason",
  "state",
  "status",
  "mergeId",
  "fromContactId",
  "toContactId",
  "resolution",
  "findings",
]);

/** A finding without its evidence (the matched category, competitor name, keyword...). */
function bareFinding(finding: unknown): unknown {
  if (typeof finding !== "object" || finding === null) return finding;
  const { evidence: _dropped, ...rest } = finding as Json;
  return rest;
}

const hasEvidence = (findings: unknown) =>
  Array.isArray(findings) &&
  findings.some((f) => typeof f === "object" && f !== null && "evidence" in f);

/** The guardrail evidence of a message's meta removed; undefined when it had none. */
export function metaWithoutEvidence(meta: Json, now: number): Json | undefined {
  const guardrails = meta["guardrails"] as Json | undefined;
  if (!guardrails || !hasEvidence(guardrails["findings"])) return undefined;
  return markPurged(
    {
      ...meta,
      guardrails: {
        ...guardrails,
        findings: (guardrails["findings"] as unknown[]).map(bareFinding),
      },
    },
    "evidence",
    now,
  );
}

/** `meta.purged.<what>`: when that part of the record was purged. */
export function markPurged(meta: Json, what: string, now: number): Json {
  const purged = (meta["purged"] as Json | undefined) ?? {};
  return { ...meta, purged: { ...purged, [what]: now } };
}

/** A `guardrail.decision` event's data without evidence; undefined when it had none. */
export function eventWithoutEvidence(data: Json, now: number): Json | undefined {
  if (!hasEvidence(data["findings"])) return undefined;
  return {
    ...data,
    findings: (data["findings"] as unknown[]).map(bareFinding),
    purged: { evidence: now },
  };
}

/** What erasure leaves of an event's data: its non-personal keys, marked `purged`. */
export function erasedEventData(data: Json, now: number): Json {
  const kept: Json = {};
  for (const [key, value] of Object.entries(data)) {
    if (!EVENT_KEYS.has(key)) continue;
    kept[key] = key === "findings" && Array.isArray(value) ? value.map(bareFinding) : value;
  }
  return { ...kept, purged: { erased: now } };
}

/** What erasure leaves of a message's meta: the guardrail decision without evidence. */
export function erasedMessageMeta(meta: Json, now: number): Json {
  const guardrails = meta["guardrails"] as Json | undefined;
  const kept: Json = {};
  if (guardrails) {
    kept["guardrails"] = {
      action: guardrails["action"],
      ...(guardrails["rule"] ? { rule: guardrails["rule"] } : {}),
      findings: Array.isArray(guardrails["findings"])
        ? guardrails["findings"].map(bareFinding)
        : [],
    };
  }
  return { ...kept, purged: { erased: now } };
}

/** Consent evidence with every text replaced; ids, numbers and flags stay. */
export function erasedConsentEvidence(evidence: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(evidence)) {
    out[key] = typeof value === "string" && !key.endsWith("Id") ? "[erased]" : value;
  }
  return out;
}
