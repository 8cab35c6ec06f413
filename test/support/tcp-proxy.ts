import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A loopback TCP proxy in front of PostgreSQL that a test can cut, to stand for an outage
 * without touching the server other tests share: `close` refuses connections (a closed
 * port), `blackhole` accepts them and never answers (a dropped network); both first reset
 * every open connection.
 */
export interface TcpProxy {
  /** The target URL with its host and port replaced by the proxy's. */
  url: string;
  cut(mode: "closed" | "blackhole"): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let mode: "open" | "closed" | "blackhole" = "open";
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode !== "open") return; // blackhole: held open, never answered
    const upstream = connect(Number(target.port || 5432), target.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  const resetAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: url.toString(),
    async cut(next) {
      mode = next;
      resetAll();
      if (next === "closed") await new Promise((r) => server.close(r));
    },
    async restore() {
      if (mode === "closed") {
        server.listen(port, "127.0.0.1");
        await once(server, "listening");
      }
      resetAll(); // blackholed connections the client still waits on
      mode = "open";
    },
    async close() {
      resetAll();
      if (server.listening) await new Promise((r) => server.close(r));
    },
  };
}
