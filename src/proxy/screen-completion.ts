import type { Screening } from "../conversations/index.ts";
import { refuses } from "./openai-error.ts";

export interface ChatCompletion {
  model?: string;
  usage?: unknown;
  choices?: { message?: { content?: unknown }; finish_reason?: string | null }[];
  [key: string]: unknown;
}

/**
 * Apply the outbound policy to each choice's content. A refused answer is replaced by the
 * policy's reply with `finish_reason: "content_filter"`, OpenAI's own signal for a filtered
 * completion: the SDK returns it as a normal completion, so the application shows the safe
 * reply instead of failing. Returns the completion to send, whether the policy changed it
 * (if not, the upstream's own bytes can be sent), and the first choice's screening.
 */
export function screenCompletion(
  completion: ChatCompletion,
  screen: (text: string) => Screening,
): { completion: ChatCompletion; changed: boolean; screening: Screening | undefined } {
  let first: Screening | undefined;
  let changed = false;
  const choices = completion.choices?.map((choice, i) => {
    const content = choice.message?.content;
    if (typeof content !== "string") return choice;
    const screening = screen(content);
    if (i === 0) first = screening;
    if (!refuses(screening)) {
      if (screening.text === content) return choice;
      changed = true;
      return { ...choice, message: { ...choice.message, content: screening.text } };
    }
    changed = true;
    return {
      ...choice,
      message: { ...choice.message, content: screening.reply ?? "" },
      finish_reason: "content_filter",
    };
  });
  if (!changed) return { completion, changed, screening: first };
  return { completion: { ...completion, choices }, changed, screening: first };
}
