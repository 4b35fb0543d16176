/**
 * libvirtd's `max_workers`: how many calls, of all clients together, run at once. A call that
 * finds every worker busy waits for one, in arrival order, so a burst of slow calls from many
 * clients queues instead of running all at once.
 */
export class WorkerPool {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Run `job` on a worker once one is free. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.busy < this.size) this.busy++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await job();
    } finally {
      // Hand the worker straight to the next waiter, so nobody overtakes it.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}
