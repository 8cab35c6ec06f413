import type { ModelClient } from "../evaluation/index.ts";
import { MainstayError } from "../shared/errors.ts";
import type { RubricCriterion } from "./quality-config.ts";

/** What the judge reads: the whole conversation, and what the knowledge base says. */
export interface JudgeInput {
  transcript: string;
  /** Knowledge base entries relevant to the customer's lines ("Q: ... A: ..."). */
  knowledge: string[];
}

export interface RubricScore {
  /** 0..1 per criterion (the judge's 1-5, mapped). */
  criteria: Record<string, number>;
  /** The criteria's weighted mean, 0..1. */
  overall: number;
  explanation: string;
  inputTokens: number;
  outputTokens: number;
}

/** A judge that scores a whole conversation against a rubric of criteria. */
export interface RubricJudge {
  /** `provider/model`, stored with every score. */
  readonly name: string;
  score(input: JudgeInput): Promise<RubricScore>;
}

const instructions = (
  rubric: readonly RubricCriterion[],
) => `You review a whole conversation between a customer and a customer-support assistant.
Score each criterion from 1 (poor) to 5 (excellent):
${rubric.map((c) => `- ${c.name}: ${c.description}`).join("\n")}
Judge facts only against the knowledge base excerpts given; when none are given, judge factual_grounding on whether the assistant invented specifics.
Answer with one JSON object and nothing else:
{"scores": {${rubric.map((c) => `"${c.name}": 1-5`).join(", ")}}, "reason": "one short sentence"}`;

export function createRubricJudge(
  client: ModelClient,
  rubric: readonly RubricCriterion[],
): RubricJudge {
  const system = instructions(rubric);
  return {
    name: client.name,
    async score(input) {
      const knowledge =
        input.knowledge.length > 0 ? input.knowledge.join("\n\n") : "(no knowledge base)";
      const response = await client.provider.chat({
        model: client.model,
        messages: [
          { role: "system", content: system },
          {
            role: "user",
            content: `Knowledge base excerpts:\n${knowledge}\n\nConversation:\n${input.transcript}`,
          },
        ],
        maxTokens: 300,
        temperature: 0,
      });
      return {
        ...parseRubricScores(response.text, rubric),
        inputTokens: response.usage.inputTokens,
        outputTokens: response.usage.outputTokens,
      };
    },
  };
}

/** The first JSON object of the answer, every criterion a number from 1 to 5. */
export function parseRubricScores(
  text: string,
  rubric: readonly RubricCriterion[],
): Pick<RubricScore, "criteria" | "overall" | "explanation"> {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  let value: { scores?: Record<string, unknown>; reason?: unknown } | undefined;
  try {
    if (start >= 0) value = JSON.parse(text.slice(start, end + 1)) as typeof value;
  } catch {
    // Reported below with what the judge said.
  }
  const criteria: Record<string, number> = {};
  let weighted = 0;
  let weights = 0;
  for (const c of rubric) {
    const raw = value?.scores?.[c.name];
    if (typeof raw !== "number" || !(raw >= 1 && raw <= 5)) {
      throw new MainstayError(
        "MS_QUALITY_JUDGE",
        `the judge gave no 1-5 score for ${c.name}: ${JSON.stringify(text.slice(0, 200))}`,
      );
    }
    criteria[c.name] = (raw - 1) / 4;
    weighted += criteria[c.name]! * c.weight;
    weights += c.weight;
  }
  const explanation = typeof value?.reason === "string" ? value.reason.slice(0, 500) : "";
  return { criteria, overall: weighted / weights, explanation };
}
