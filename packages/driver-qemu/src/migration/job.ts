/**
 * A migration job of one domain (libvirt's VIR_ASYNC_JOB_MIGRATION_OUT/IN): QEMU's
 * `query-migrate` turned into virDomainGetJobStats' typed parameters (qemuMigrationAnyFetchStats
 * and qemuDomainJobDataToParams), kept as the completed job's statistics once it ends.
 */
import { DomainJobOperation, DomainJobType, typedParams, type JobStats, type TypedParams } from '@virtkit/core';
import type { QmpTransport } from '../qmp/client';

/** The parts of `query-migrate`'s answer libvirt reads. */
export interface QemuMigrateInfo {
  status?: string;
  'error-desc'?: string;
  'total-time'?: number;
  downtime?: number;
  'expected-downtime'?: number;
  'setup-time'?: number;
  ram?: {
    transferred: number;
    remaining: number;
    total: number;
    duplicate: number;
    normal: number;
    'normal-bytes': number;
    mbps: number;
    'dirty-pages-rate'?: number;
    'page-size'?: number;
    'dirty-sync-count'?: number;
    'postcopy-requests'?: number;
  };
  disk?: { transferred: number; remaining: number; total: number };
}

const ULLONG = 4;
/** The job statistics that are not unsigned long long (virDomainJobStats' typed parameters). */
const PARAM_TYPES: Record<string, number> = { operation: 1, auto_converge_throttle: 1, success: 6, errmsg: 7 };

export type MigrationOutcome = 'completed' | 'failed' | 'cancelled';

/** The running (or finished) migration of one domain, in one direction. */
export class MigrationJob {
  readonly startedAt = Date.now();
  endedAt: number | undefined;
  outcome: MigrationOutcome | undefined;
  error: string | undefined;
  info: QemuMigrateInfo = {};
  /** Started with VIR_MIGRATE_POSTCOPY: MigrateStartPostCopy may switch it to post-copy. */
  postcopyAllowed = false;
  /** Set by AbortJob: the transfer was cancelled on purpose. */
  aborted = false;
  /** On a destination: the source's figures from the perform cookie, which libvirt reports as the job's. */
  sourceStats: Record<string, number> | undefined;
  /** Bytes of a storage copy's mirrors (NON_SHARED_DISK/INC): libvirt reports them as the disk figures. */
  mirror: { total: number; transferred: number } | undefined;
  /** Pages re-sent in the last iteration reported with a MIGRATION_ITERATION event. */
  lastIteration = 0;

  constructor(
    readonly operation:
      DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT | DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN,
  ) {}

  /** Read QEMU's progress now (a job that ended keeps its last figures). */
  async refresh(qmp: QmpTransport): Promise<QemuMigrateInfo> {
    if (this.outcome) return this.info;
    this.info = await qmp.execute<QemuMigrateInfo>('query-migrate');
    return this.info;
  }

  end(outcome: MigrationOutcome, error?: string): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.error = error;
    this.endedAt = Date.now();
  }

  /** virDomainGetJobStats' answer for this job. */
  stats(): JobStats {
    const type =
      this.outcome === 'completed'
        ? DomainJobType.VIR_DOMAIN_JOB_COMPLETED
        : this.outcome === 'failed'
          ? DomainJobType.VIR_DOMAIN_JOB_FAILED
          : this.outcome === 'cancelled'
            ? DomainJobType.VIR_DOMAIN_JOB_CANCELLED
            : DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED;
    return { type, params: this.params() };
  }

  private params(): TypedParams {
    const p: TypedParams = { operation: this.operation, time_elapsed: (this.endedAt ?? Date.now()) - this.startedAt };
    const i = this.info;
    if (this.outcome === 'completed' && i.downtime !== undefined) p.downtime = i.downtime;
    if (!this.outcome && i['expected-downtime'] !== undefined) p.downtime = i['expected-downtime'];
    if (i['setup-time'] !== undefined) p.setup_time = i['setup-time'];
    const ram = i.ram;
    const disk = this.mirror
      ? { total: this.mirror.total, transferred: this.mirror.transferred, remaining: this.mirror.total - this.mirror.transferred }
      : i.disk;
    if (!ram && disk) {
      p.data_total = disk.total;
      p.data_processed = disk.transferred;
      p.data_remaining = disk.remaining;
    }
    if (ram) {
      p.data_total = ram.total + (disk?.total ?? 0);
      p.data_processed = ram.transferred + (disk?.transferred ?? 0);
      p.data_remaining = ram.remaining + (disk?.remaining ?? 0);
      p.memory_total = ram.total;
      p.memory_processed = ram.transferred;
      p.memory_remaining = ram.remaining;
      p.memory_constant = ram.duplicate;
      p.memory_normal = ram.normal;
      p.memory_normal_bytes = ram['normal-bytes'];
      p.memory_bps = Math.round((ram.mbps * 1e6) / 8);
      if (ram['dirty-pages-rate'] !== undefined) p.memory_dirty_rate = ram['dirty-pages-rate'];
      if (ram['page-size'] !== undefined) p.memory_page_size = ram['page-size'];
      if (ram['dirty-sync-count'] !== undefined) p.memory_iteration = ram['dirty-sync-count'];
      if (ram['postcopy-requests'] !== undefined) p.memory_postcopy_requests = ram['postcopy-requests'];
    }
    if (disk) {
      p.disk_total = disk.total;
      p.disk_processed = disk.transferred;
      p.disk_remaining = disk.remaining;
    }
    const moved = this.sourceStats ?? {};
    for (const [k, v] of Object.entries(moved)) if (!['started', 'stopped', 'sent', 'delta'].includes(k)) p[k] = v;
    if (this.outcome) p.success = this.outcome === 'completed';
    if (this.error) p.errmsg = this.error;
    return typedParams(Object.entries(p).map(([field, value]) => ({ field, type: PARAM_TYPES[field] ?? ULLONG, value })));
  }
}
