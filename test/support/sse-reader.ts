import type { ConversationChange } from "../../src/conversations/index.ts";

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads Server-Sent Events off a fetch response, one `next()` per event. */
export function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    async next(): Promise<SseEvent> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map(
            block.split("\n").map((line) => {
              const colon = line.indexOf(":");
              return [line.slice(0, colon), line.slice(colon + 1).trimStart()] as const;
            }),
          );
          const event = fields.get("event");
          if (event) return { event, data: JSON.parse(fields.get("data") ?? "null") };
          continue; // `retry:` and comments carry no event
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += value;
      }
    },
    /** Every conversation change read so far. */
    changes: [] as ConversationChange[],
    /** Reads conversation changes up to the first of `type`, which is returned. */
    async until(type: string, conversationId?: string): Promise<ConversationChange> {
      for (;;) {
        const e = await this.next();
        if (e.event !== "conversation") continue;
        const change = e.data as ConversationChange;
        this.changes.push(change);
        if (change.type === type && (!conversationId || change.conversationId === conversationId))
          return change;
      }
    },
    cancel: () => reader.cancel(),
  };
}
