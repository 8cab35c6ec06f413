import { MainstayError } from "../../../shared/errors.ts";
import type { FetchLike } from "../../detector.ts";

/** POST a JSON body and read the JSON answer; any non-2xx is an error naming the host. */
export async function postJson(
  fetch: FetchLike,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) {
    // The body may echo the text screened: only the status is kept.
    await response.body?.cancel();
    throw new MainstayError(
      "MS_CLASSIFIER_FAILED",
      `classifier at ${new URL(url).host} answered HTTP ${response.status}`,
      502,
    );
  }
  return response.json();
}
