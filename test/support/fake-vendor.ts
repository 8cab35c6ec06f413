import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface VendorRequest {
  method: string;
  /** Path and query, e.g. `/2010-04-01/Accounts/AC1/Messages.json`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface VendorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A local HTTP server standing in for a vendor API. Each request is recorded; the answer
 * comes from `respond` (replace it per test to script errors, 429s, slow answers).
 */
export async function startFakeVendor(
  respond: (req: VendorRequest) => VendorResponse = () => ({ status: 200, body: {} }),
) {
  const requests: VendorRequest[] = [];
  const vendor = {
    url: "",
    requests,
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const answer = vendor.respond(recorded);
      const body =
        answer.body === undefined
          ? ""
          : typeof answer.body === "string"
            ? answer.body
            : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        "content-type": typeof answer.body === "string" ? "text/plain" : "application/json",
        ...answer.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  vendor.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return vendor;
}

export type FakeVendor = Awaited<ReturnType<typeof startFakeVendor>>;
