import WebSocket from "ws";
import type { ServerFrame } from "../../src/channels/index.ts";

/** A WebSocket client that queues frames so a test can await them in order. */
export async function connectChat(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const frames: ServerFrame[] = [];
  const waiters: ((f: ServerFrame) => void)[] = [];
  socket.on("message", (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return {
    send: (frame: unknown) => socket.send(JSON.stringify(frame)),
    sendRaw: (data: string) => socket.send(data),
    next: () =>
      new Promise<ServerFrame>((resolve) => {
        const queued = frames.shift();
        if (queued) resolve(queued);
        else waiters.push(resolve);
      }),
    /** Resolves with the close code once the server or the client closed the socket. */
    closed,
    close: () => {
      if (socket.readyState === WebSocket.CLOSED) return closed;
      socket.close();
      return closed;
    },
  };
}

export type ChatClient = Awaited<ReturnType<typeof connectChat>>;
