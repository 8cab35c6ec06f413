export interface ServerSentEvent {
  /** The `event:` field, when the server named the event (Anthropic does, OpenAI does not). */
  event: string | undefined;
  data: string;
}

/**
 * Reads a `text/event-stream` body as the WHATWG HTML spec's "Interpreting an event
 * stream" describes: lines end in CRLF, LF or CR; a blank line dispatches the event; lines
 * starting with `:` are comments; an unfinished event at the end of the stream is dropped.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event: string | undefined;
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A CR at the very end may be the first half of a CRLF split across reads.
      const end = !done && buffer.endsWith("\r") ? buffer.length - 1 : buffer.length;
      const lines = buffer.slice(0, end).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? "") + buffer.slice(end);
      for (const line of lines) {
        if (line === "") {
          if (data.length > 0) yield { event, data: data.join("\n") };
          event = undefined;
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (done) return;
    }
  } finally {
    // Stops the download when the consumer leaves early.
    await reader.cancel().catch(() => undefined);
  }
}
