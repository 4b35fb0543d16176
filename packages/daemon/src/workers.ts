/**
 * libvirtd's worker pool (util/virthreadpool.c): `max_workers` ordinary workers run calls of all
 * clients together, and `prio_workers` more run only high-priority calls (libvirt's
 * `@priority: high`: calls that never wait on a hypervisor), so a burst of slow calls cannot
 * starve a `getVersion` or a `destroy`. A call that finds no worker it may use waits, in arrival
 * order: an ordinary worker takes the oldest waiting call, a priority worker the oldest waiting
 * high-priority one.
 */
export class WorkerPool {
  private busy = 0;
  private busyPrio = 0;
  private readonly waiting: { highPriority: boolean; start: (prio: boolean) => void }[] = [];

  constructor(
    readonly size: number,
    readonly prioSize = 0,
  ) {}

  /** Run `job` on a worker once one it may use is free. */
  async run<T>(job: () => Promise<T>, highPriority = false): Promise<T> {
    const onPrio = await this.acquire(highPriority);
    try {
      return await job();
    } finally {
      this.release(onPrio);
    }
  }

  /** Take a worker: an ordinary one first, a priority one for a high-priority call; true if priority. */
  private acquire(highPriority: boolean): Promise<boolean> {
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve(false);
    }
    if (highPriority && this.busyPrio < this.prioSize) {
      this.busyPrio++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiting.push({ highPriority, start: resolve }));
  }

  /** Hand the worker straight to the oldest call that may use it, so nobody overtakes it. */
  private release(onPrio: boolean): void {
    const i = onPrio ? this.waiting.findIndex((w) => w.highPriority) : 0;
    if (i >= 0 && i < this.waiting.length) {
      this.waiting.splice(i, 1)[0].start(onPrio);
      return;
    }
    if (onPrio) this.busyPrio--;
    else this.busy--;
  }
}
