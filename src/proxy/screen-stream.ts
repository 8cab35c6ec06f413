import type { Screening } from "../conversations/index.ts";
import { mergeScreenings, type ScreenedPart } from "./merge-screenings.ts";
import { type OpenAIErrorBody, openAIError, policyViolation, refuses } from "./openai-error.ts";
import { SentenceBuffer } from "./sentence-buffer.ts";

/** What was streamed, for the record. */
export interface StreamOutcome {
  /** The text the client received: screened sentences up to the end or the refusal. */
  text: string;
  screening: Screening;
  model: string | undefined;
  usage: unknown;
  finishReason: string | undefined;
  /** Set when the stream was stopped with an error event (policy or upstream). */
  error: OpenAIErrorBody["error"] | undefined;
}

interface Chunk {
  choices?: { delta?: { content?: unknown }; finish_reason?: string | null }[];
  model?: string;
  usage?: unknown;
  error?: OpenAIErrorBody["error"];
  [key: string]: unknown;
}

const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

/**
 * Rewrites an upstream `chat.completion.chunk` stream (the `data:` payloads) into the one
 * the client gets: content is re-chunked into whole sentences, each passed through the
 * outbound policy (`screen`). A refused sentence ends the stream with an error event, the
 * form the OpenAI SDKs raise as `APIError`; nothing after it is sent. Pure: the route feeds
 * it and writes what it returns.
 */
export class StreamScreen {
  private readonly buffer = new SentenceBuffer();
  private readonly parts: ScreenedPart[] = [];
  private offset = 0;
  private template: Chunk | undefined;
  private stoppedWith: OpenAIErrorBody["error"] | undefined;
  private done = false;
  private model: string | undefined;
  private usage: unknown;
  private finishReason: string | undefined;

  constructor(private readonly screen: (text: string) => Screening) {}

  /** True once nothing more may be sent: `[DONE]`, an upstream error, or a refusal. */
  get finished(): boolean {
    return this.done || this.stoppedWith !== undefined;
  }

  /** True once `[DONE]` was passed on: the answer is whole, nothing was cut. */
  get completed(): boolean {
    return this.done && this.stoppedWith === undefined;
  }

  /** Take one upstream `data:` payload; returns the SSE frames to send for it. */
  accept(data: string): string[] {
    if (this.finished) return [];
    if (data.trim() === "[DONE]") {
      const frames = this.flushFrames();
      if (!this.finished) frames.push("data: [DONE]\n\n");
      this.done = true;
      return frames;
    }
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      return [
        this.stop(
          openAIError(
            "upstream sent an unreadable stream event",
            "upstream_error",
            "upstream_invalid_stream",
          ),
        ),
      ];
    }
    if (chunk.error) return [this.stop({ error: chunk.error })];
    return this.rewrite(chunk);
  }

  /** The upstream body ended: release what is held (a stream cut before `[DONE]`). */
  end(): string[] {
    if (this.finished) return [];
    this.done = true;
    return this.flushFrames();
  }

  outcome(): StreamOutcome {
    // A refused sentence's text is "": the joined text is what the client received.
    const screening = mergeScreenings(this.parts, "");
    return {
      text: screening.text,
      screening,
      model: this.model,
      usage: this.usage,
      finishReason: this.finishReason,
      error: this.stoppedWith,
    };
  }

  private rewrite(chunk: Chunk): string[] {
    this.template = chunk;
    this.model = chunk.model ?? this.model;
    this.usage = chunk.usage ?? this.usage;
    const [choice, ...others] = chunk.choices ?? [];
    if (!choice) return [frame(chunk)]; // the usage chunk of `stream_options.include_usage`
    const delta = choice.delta ?? {};
    const hasText = typeof delta.content === "string";
    const sentences = hasText ? this.buffer.push(delta.content as string) : [];
    if (choice.finish_reason) {
      // Whatever is held belongs before the finish: release it in this chunk.
      this.finishReason = choice.finish_reason;
      sentences.push(this.buffer.flush());
    }
    const { text, refusal } = this.screenSentences(sentences);
    if (refusal) {
      const frames = text === "" ? [] : [this.contentFrame(text)];
      return [...frames, this.stop(policyViolation(refusal))];
    }
    const keep =
      text !== "" || choice.finish_reason || Object.keys(delta).some((k) => k !== "content");
    if (!keep) return [];
    const content = hasText || text !== "" ? { content: text } : {};
    return [
      frame({ ...chunk, choices: [{ ...choice, delta: { ...delta, ...content } }, ...others] }),
    ];
  }

  /** Screen sentences in order, up to and including the first one the policy refuses. */
  private screenSentences(sentences: string[]): { text: string; refusal?: Screening } {
    let text = "";
    for (const sentence of sentences) {
      if (sentence === "") continue;
      const screening = this.screen(sentence);
      this.parts.push({ screening, offset: this.offset });
      this.offset += sentence.length;
      if (refuses(screening)) return { text, refusal: screening };
      text += screening.text;
    }
    return { text };
  }

  private flushFrames(): string[] {
    const { text, refusal } = this.screenSentences([this.buffer.flush()]);
    const frames = text === "" ? [] : [this.contentFrame(text)];
    if (refusal) frames.push(this.stop(policyViolation(refusal)));
    return frames;
  }

  /** A chunk carrying only text, shaped like the upstream's last one (id, model, created). */
  private contentFrame(text: string): string {
    const { choices: _, usage: __, ...rest } = this.template ?? { object: "chat.completion.chunk" };
    return frame({
      ...rest,
      choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
    });
  }

  /** End the stream with an error event (also used when the upstream connection fails). */
  stop(body: OpenAIErrorBody): string {
    this.stoppedWith = body.error;
    return frame(body);
  }
}
