/** POST a JSON body; any answer but 2xx is an error, so the notify job retries it. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    signal,
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`${new URL(url).host} answered HTTP ${response.status}`);
}
