/**
 * Per-domain job serialization (libvirt's qemuDomainObjBeginJob / EndJob, reduced to the
 * synchronous job kinds): at most one job runs on a domain at a time; a second one waits for
 * the first to end, and fails after a bound (default 30 s, libvirt's QEMU_JOB_WAIT_TIME) with
 * VIR_ERR_OPERATION_TIMEOUT "Timed out during operation: cannot acquire state change lock
 * (held by <job owner>)". Different domains never wait on each other.
 *
 * `query` jobs may run concurrently with each other but not with modifying jobs — libvirt lets
 * only one job of any kind run, except that QUERY jobs are allowed alongside async jobs; we keep
 * the simpler exclusive model and treat every job as exclusive.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

/** libvirt's virDomainJob names. */
export type DomainJobKind = 'query' | 'destroy' | 'suspend' | 'modify' | 'abort' | 'migration-op' | 'none';

/** libvirt's virDomainAsyncJob names: the long jobs GetJobInfo and GetControlInfo report as running. */
export type DomainAsyncJobKind = 'save' | 'dump';

export interface JobInfo {
  kind: DomainJobKind;
  /** Set when the job is one of libvirt's asynchronous jobs. */
  asyncJob?: DomainAsyncJobKind;
  /** API that owns the job (libvirt prints it as the lock holder, e.g. `remoteDispatchDomainCreate`). */
  owner: string;
  startedAt: number;
}

/**
 * Jobs that may run while a job of the key's kind holds the domain, without waiting for it
 * (libvirt's async job mask, qemuMigrationJobStart's): during a move the guest may be queried
 * and suspended, as virsh's `migrate --timeout --timeout-suspend` does mid-move.
 */
const ALLOWED_ALONGSIDE: Partial<Record<DomainJobKind, readonly DomainJobKind[]>> = { 'migration-op': ['query', 'suspend'] };

interface Waiter {
  grant: () => void;
}

interface DomainJobState {
  active: JobInfo | undefined;
  waiters: Waiter[];
}

export interface JobManagerOptions {
  /** How long a job waits for the lock before failing (ms). Default 30 000. */
  waitMs?: number;
}

export class DomainJobs {
  private readonly domains = new Map<string, DomainJobState>();
  waitMs: number;

  constructor(opts: JobManagerOptions = {}) {
    this.waitMs = opts.waitMs ?? 30_000;
  }

  /** The job running on `key`, if any. */
  active(key: string): JobInfo | undefined {
    return this.domains.get(key)?.active;
  }

  /**
   * Acquire the job lock of domain `key`; resolves with a release function. Rejects with
   * VIR_ERR_OPERATION_TIMEOUT when it could not be acquired within the bound.
   */
  begin(key: string, kind: DomainJobKind, owner: string, waitMs = this.waitMs, asyncJob?: DomainAsyncJobKind): Promise<() => void> {
    let st = this.domains.get(key);
    if (!st) {
      st = { active: undefined, waiters: [] };
      this.domains.set(key, st);
    }
    const state = st;
    const job: JobInfo = { kind, owner, startedAt: Date.now(), asyncJob };
    const release = () => this.end(key, state, job);
    if (!state.active && state.waiters.length === 0) {
      state.active = job;
      return Promise.resolve(release);
    }
    if (state.active && ALLOWED_ALONGSIDE[state.active.kind]?.includes(kind)) return Promise.resolve(() => undefined);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          state.active = job;
          job.startedAt = Date.now();
          resolve(release);
        },
      };
      const timer = setTimeout(() => {
        const i = state.waiters.indexOf(waiter);
        if (i >= 0) state.waiters.splice(i, 1);
        const holder = state.active ? state.active.owner : 'unknown';
        reject(
          VirError.create(
            ErrorNumber.VIR_ERR_OPERATION_TIMEOUT,
            ErrorDomain.VIR_FROM_QEMU,
            `cannot acquire state change lock (held by ${holder})`,
          ),
        );
      }, waitMs);
      state.waiters.push(waiter);
    });
  }

  /** Run `fn` inside a job on `key`. */
  async run<T>(
    key: string,
    kind: DomainJobKind,
    owner: string,
    fn: () => Promise<T>,
    waitMs?: number,
    asyncJob?: DomainAsyncJobKind,
  ): Promise<T> {
    const release = await this.begin(key, kind, owner, waitMs, asyncJob);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private end(key: string, state: DomainJobState, job: JobInfo): void {
    if (state.active !== job) return; // released twice
    state.active = undefined;
    const next = state.waiters.shift();
    if (next) next.grant();
    else if (this.domains.get(key) === state) this.domains.delete(key);
  }
}
