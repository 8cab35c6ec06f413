/**
 * Rung when there may be a job to run now: a local enqueue committed, or another instance
 * announced one. Whoever enqueues rings; the worker listens. Neither needs the other, so
 * they can be built in either order.
 */
export class Doorbell {
  private readonly listeners = new Set<() => void>();

  /** Call `listener` on every ring; returns the function that stops it. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly ring = (): void => {
    for (const listener of this.listeners) listener();
  };
}
