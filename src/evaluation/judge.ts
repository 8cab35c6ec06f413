import type { Secrets } from "../agents/index.ts";
import type { EgressFetch } from "../shared/egress/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { modelClient } from "./model-client.ts";
import type { JudgeProvider } from "./suite-schema.ts";

export interface Verdict {
  pass: boolean;
  reason: string;
}

/** An LLM that grades a transcript against a rubric written in plain words. */
export interface Judge {
  /** `provider/model`, for reports. */
  readonly name: string;
  grade(rubric: string, transcript: string): Promise<Verdict>;
}

const INSTRUCTIONS = `You grade a customer-support assistant. You get a rubric and a transcript.
Decide whether the transcript meets the rubric. Judge only what the rubric asks.
Answer with one JSON object and nothing else: {"pass": true or false, "reason": "one short sentence"}`;

/**
 * A judge on any provider an agent document can name (its `provider` block), whose
 * `apiKeySecret` is one of the config's `secrets`.
 */
export function createJudge(spec: JudgeProvider, secrets: Secrets, fetch?: EgressFetch): Judge {
  const { name, model, provider } = modelClient(
    spec,
    secrets,
    { name: "judge", code: "MS_EVAL_INVALID" },
    fetch,
  );
  return {
    name,
    async grade(rubric, transcript) {
      const response = await provider.chat({
        model,
        messages: [
          { role: "system", content: INSTRUCTIONS },
          { role: "user", content: `Rubric: ${rubric}\n\nTranscript:\n${transcript}` },
        ],
        maxTokens: 300,
        temperature: 0,
      });
      return parseVerdict(response.text);
    },
  };
}

/** The first JSON object in the answer (models wrap it in prose or code fences). */
export function parseVerdict(text: string): Verdict {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  try {
    const value = JSON.parse(text.slice(start, end + 1)) as { pass?: unknown; reason?: unknown };
    if (start >= 0 && typeof value.pass === "boolean") {
      return { pass: value.pass, reason: typeof value.reason === "string" ? value.reason : "" };
    }
  } catch {
    // Reported below with what the judge said.
  }
  throw new MainstayError(
    "MS_EVAL_JUDGE",
    `the judge did not answer {"pass": ..., "reason": ...}: ${JSON.stringify(text.slice(0, 200))}`,
  );
}

/** A transcript as the judge reads it: one `Customer:` / `Assistant:` line per message. */
export function formatTranscript(turns: { customer: string; reply: string }[]): string {
  return turns
    .map((t) => `Customer: ${t.customer}\nAssistant: ${t.reply || "(no reply)"}`)
    .join("\n");
}
