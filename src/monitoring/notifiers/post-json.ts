import type { EgressFetch } from "../../shared/egress/index.ts";

/** POST a JSON body; any answer but 2xx is an error, so the notify job retries it. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  send: EgressFetch = fetch,
): Promise<void> {
  const response = await send(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    signal,
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`${new URL(url).host} answered HTTP ${response.status}`);
}
