/**
 * What must stay in order among one client's calls once they run concurrently, as libvirtd's
 * dispatch keeps it. Most calls are `concurrent`: they start as they arrive and may be answered
 * out of order (the client matches replies by serial). An `exclusive` call (connect-open,
 * connect-close, auth) starts once every call that arrived before it is over, and the calls after
 * it wait for it: nothing runs against a connection being opened or closed. `ordered` calls (event
 * (de)registration) run one at a time in arrival order, so a deregistration never overtakes the
 * registration it undoes.
 */
export type CallOrder = 'concurrent' | 'exclusive' | 'ordered';

export class CallGate {
  /** Settles when the latest exclusive call is over. */
  private barrier: Promise<void> = Promise.resolve();
  /** Settles when the latest ordered call is over. */
  private orderedTail: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * Run `job` once its turn comes; must be called in arrival order. Settles when the job is over
   * (rejects as it does).
   */
  run(order: CallOrder, job: () => Promise<void>): Promise<void> {
    const after: Promise<unknown>[] = [this.barrier];
    if (order === 'exclusive') after.push(...this.inFlight);
    if (order === 'ordered') after.push(this.orderedTail);
    const done = Promise.allSettled(after).then(job);
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    if (order === 'exclusive') this.barrier = settled;
    if (order === 'ordered') this.orderedTail = settled;
    return done;
  }

  /** Settles once every call accepted so far is over (a closing client waits for them). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
