/** What a part of the instance gives the parts after it, and how it is taken down. */
export interface Started<T> {
  provides: T;
  /** Undo what the part started; called once, in reverse order of starting. */
  close?: () => Promise<void> | void;
}

/**
 * The parts of one running instance in the order they started. Each part is started with
 * what earlier parts provide, so nothing refers forward; `close` takes them down in
 * reverse order, and a part that fails to start closes the ones before it.
 */
export class StartedParts {
  private readonly closers: { name: string; close: () => Promise<void> | void }[] = [];
  private closing: Promise<void> | undefined;

  /** Start one part; on failure the parts already started are closed and the error rethrown. */
  async start<T>(name: string, start: () => Promise<Started<T>> | Started<T>): Promise<T> {
    let started: Started<T>;
    try {
      started = await start();
    } catch (e) {
      await this.close();
      throw e;
    }
    if (started.close) this.closers.push({ name, close: started.close });
    return started.provides;
  }

  /** The names of the parts with something to close, in starting order (for tests). */
  get names(): string[] {
    return this.closers.map((c) => c.name);
  }

  /**
   * Close every started part, last first. Each part is closed even when one before it
   * failed to; the first failure is thrown once all have had their turn.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      let failure: { error: unknown } | undefined;
      for (const { close } of [...this.closers].reverse()) {
        try {
          await close();
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure) throw failure.error;
    })();
    return this.closing;
  }
}
