/** Pieces of state every driver keeps the same way: its event listeners and its serial queue. */

/**
 * The listeners of a driver's events (one per connection that subscribed). Each gets every
 * event; a listener that throws affects neither the driver nor the other listeners.
 */
export class EventHub<E> {
  private readonly listeners = new Set<(e: E) => void>();

  /** Add a listener; the function returned removes it. */
  subscribe(listener: (e: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: E): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own
      }
    }
  }
}

/** Runs each function after every one queued before it has settled, failed or not. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
