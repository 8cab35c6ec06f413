import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a sandbox sent out: a reply to a customer, a handoff notice. */
export interface CapturedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the stand-in answers a request with (a vendor's acknowledgement, e.g. a message id). */
export type CaptureResponder = (request: CapturedRequest) => { status: number; body: unknown };

export interface CaptureServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request, in the order it arrived. */
  readonly requests: readonly CapturedRequest[];
  close(): Promise<void>;
}

/**
 * The only place a sandbox sends to: a local HTTP server on 127.0.0.1 standing in for the
 * generic channel's callback URL and for vendor APIs, so replies never leave the machine.
 */
export async function startCaptureServer(respond: CaptureResponder): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: CapturedRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const answer = respond(request);
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
