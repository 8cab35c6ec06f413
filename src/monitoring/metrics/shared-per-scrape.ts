/**
 * Gauges read at scrape time are collected side by side; several that need the same query
 * (queue depth and queue age) share one run of it instead of each running their own.
 */
export function sharedPerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= read().finally(() => {
      running = undefined;
    });
    return running;
  };
}
