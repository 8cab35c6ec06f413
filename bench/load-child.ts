/**
 * The pipeline bench's load generator, run as its own process so it does not share the
 * server's event loop or core: `node --import tsx bench/load-child.ts '<json>'` loads `url`
 * with autocannon and prints the figures the bench reads as one JSON line.
 */
import autocannon from "autocannon";
import { signGenericBody } from "../src/channels/index.ts";

export interface LoadRequest {
  url: string;
  seconds: number;
  connections: number;
  /** Signed generic-webhook messages (ids starting with `idPrefix`), or plain GETs. */
  inbound?: { idPrefix: string; secret: string; customers: number; questions: string[] };
}

export interface LoadFigures {
  requestsPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

const request = JSON.parse(process.argv[2] ?? "{}") as LoadRequest;
if (!request.url?.startsWith("http://127.0.0.1:")) {
  process.stderr.write(`refusing to load ${request.url}: benches only target 127.0.0.1\n`);
  process.exit(2);
}
const result = await autocannon({
  url: request.url,
  connections: request.connections,
  duration: request.seconds,
  ...(request.inbound && { requests: [{ setupRequest: signedInbound(request.inbound) }] }),
});
const figures: LoadFigures = {
  requestsPerSec: result.requests.mean,
  p50: result.latency.p50,
  p99: result.latency.p99,
  ok: result["2xx"],
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);

/** Each request a new message id (else dedupe answers it), a customer and a question. */
function signedInbound(inbound: NonNullable<LoadRequest["inbound"]>) {
  let n = 0;
  return (req: autocannon.Request): autocannon.Request => {
    n++;
    const body = JSON.stringify({
      id: `${inbound.idPrefix}-${n}`,
      from: `+1555${String(n % inbound.customers).padStart(7, "0")}`,
      text: inbound.questions[n % inbound.questions.length]!,
    });
    return {
      ...req,
      method: "POST",
      path: "/webhooks/api",
      headers: {
        "content-type": "application/json",
        "x-mainstay-signature": signGenericBody(inbound.secret, body),
      },
      body,
    };
  };
}
