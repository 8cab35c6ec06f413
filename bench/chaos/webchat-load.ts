import WebSocket from "ws";
import type { ServerFrame } from "../../src/channels/index.ts";
import type { Random } from "../../src/shared/random.ts";

/** One web-chat customer: did a reply reach one of its sockets live (not in a history)? */
export interface WebchatSession {
  session: string;
  live: boolean;
}

/**
 * Web-chat customers, each on a socket to a random instance: one question, then waiting up
 * to `liveWaitMs` for the reply pushed live. A socket its instance took down is opened again
 * on another; a reply found in the history sent on connect was not pushed live. Each reply
 * received is acknowledged with a `received` frame.
 */
export async function driveWebchat(options: {
  liveUrls: () => string[];
  sessions: number;
  liveWaitMs: number;
  random: Random;
}): Promise<WebchatSession[]> {
  return Promise.all(
    Array.from({ length: options.sessions }, async (_, n) => {
      const session = `chaos-session-${n}-${Math.floor(options.random.next() * 1e12)}`;
      const until = Date.now() + options.liveWaitMs;
      while (Date.now() < until) {
        const urls = options.liveUrls();
        const url = urls[Math.floor(options.random.next() * urls.length)];
        const ended = url ? await converse(url, session, until) : "closed";
        if (ended !== "closed") return { session, live: ended === "live" };
        await new Promise((r) => setTimeout(r, 200));
      }
      return { session, live: false };
    }),
  );
}

/** One socket's life: "live" reply, reply found in "history", or "closed" before either. */
function converse(
  url: string,
  session: string,
  until: number,
): Promise<"live" | "history" | "closed"> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/chat/web/ws?session=${session}`);
    const timer = setTimeout(() => finish("closed"), Math.max(0, until - Date.now()));
    function finish(how: "live" | "history" | "closed") {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => undefined);
      socket.close(); // after the `received` frame, when one was just sent
      resolve(how);
    }
    socket.on("error", () => finish("closed"));
    socket.on("close", () => finish("closed"));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === "history") {
        if (frame.messages.some((m) => m.direction === "outbound")) return finish("history");
        // Sent again on every connect: the id makes it one stored message.
        socket.send(JSON.stringify({ type: "message", id: "q1", text: "Do you fix screens?" }));
      } else if (frame.type === "message" && frame.message.direction === "outbound") {
        socket.send(JSON.stringify({ type: "received", id: frame.message.id }));
        finish("live");
      }
    });
  });
}
