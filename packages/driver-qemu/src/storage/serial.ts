/** One-at-a-time execution of async sections (libvirt holds the pool object lock across a call). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `fn` after every section queued before it has settled. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
