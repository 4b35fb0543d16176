/**
 * The status record of one domain run and its file: every change is written whole (temp file
 * and rename, never fsync'd: a power loss ends the process the file describes), one write after
 * the other, and none lands after the run ended and the file was removed.
 */
import { removeStatus, writeStatus, type DomainStatus } from './status';

export class StatusStore {
  private writes: Promise<void> = Promise.resolve();
  private current: DomainStatus | undefined;

  constructor(private readonly stateDir: string) {}

  /** The record of the current run (undefined while the domain is not running). */
  get record(): DomainStatus | undefined {
    return this.current;
  }

  /** Take `st` as the record of a run (a new start, or one re-attached from its file). */
  open(st: DomainStatus): void {
    this.current = st;
  }

  /**
   * Queue a write of the current record; `as` overrides what it says of the state (a start
   * records the state it ends in before it gets there).
   */
  save(as?: Pick<DomainStatus, 'state' | 'reason'>): Promise<void> {
    const st = this.current;
    const write = this.writes.then(async () => {
      if (st && this.current === st) await writeStatus(this.stateDir, as ? { ...st, ...as } : st);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** End the run: no write is made any more; resolves with its record once the queued ones are done. */
  async close(): Promise<DomainStatus | undefined> {
    const st = this.current;
    this.current = undefined;
    await this.writes;
    return st;
  }

  /** End the run and remove its file (after the queued writes, so none recreates it). */
  async remove(name: string): Promise<void> {
    await this.close();
    await removeStatus(this.stateDir, name);
  }
}
