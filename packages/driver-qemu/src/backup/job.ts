/**
 * One running backup job on a QMP host (the domain's QEMU, or a qemu-storage-daemon for a
 * shut-off domain): one QEMU `backup` job per disk, started together in one transaction,
 * followed through JOB_STATUS_CHANGE events until every disk's job concluded (push) or until
 * the job is aborted (pull, whose fleecing jobs run until the client is done).
 *
 * When it ends it releases everything it set up — NBD exports and server, temporary bitmaps,
 * the target/scratch nodes, files it created that hold no finished backup — and reports the
 * outcome: `completed`, `failed` (with QEMU's error) or `cancelled` (a push job aborted).
 */
import * as fs from 'node:fs';
import { type BackupDiskDef } from '@virtkit/xml';
import type { QmpClient, QmpEvent } from '../qmp/client';

/** Where a job runs: a QMP monitor and the format node of each domain disk. */
export interface BlockHost {
  qmp: QmpClient;
  nodes: Map<string, string>;
  /** Called once the job released its nodes (stops a storage daemon). */
  release(): Promise<void>;
}

export type DiskJobState = 'running' | 'complete' | 'failed' | 'cancelled';

/** One disk's part of the job. */
export interface DiskJob {
  target: string;
  /** Source format node. */
  node: string;
  /** QEMU job id (`backup-<target>-<node>`, libvirt's naming). */
  jobId: string;
  /** Push: the backup image; pull: the fleecing scratch image. */
  store: NonNullable<BackupDiskDef['store']>;
  /** Node of the store image. */
  storeNode: string;
  /** We created the store file (it goes when it holds no finished backup). */
  created: boolean;
  /** Pull incremental: temporary disabled copy of the checkpoint's bitmap, exported. */
  exportBitmap?: string;
  exportName?: string;
  state: DiskJobState;
  error?: string;
  cur: number;
  end: number;
}

export type JobOutcome = 'completed' | 'failed' | 'cancelled';

const GONE = 'the job ended while no driver followed it';

interface QueryJob {
  id: string;
  status: string;
  'current-progress': number;
  'total-progress': number;
  error?: string;
}

/** Where a job's progress is recorded for a driver that takes it over (the domain's status file). */
export type JobRecorder = (job: BackupJob) => Promise<void>;

export class BackupJob {
  startedAt = Date.now();
  endedAt: number | undefined;
  outcome: JobOutcome | undefined;
  aborting = false;
  private finishing: Promise<void> | undefined;
  private resolveDone!: () => void;
  /** Resolves once the job ended and released its resources. */
  readonly done = new Promise<void>((r) => (this.resolveDone = r));
  private readonly onEvent = (e: QmpEvent) => void this.handleEvent(e);
  private readonly onClose = () => void this.monitorLost();

  constructor(
    readonly host: BlockHost,
    readonly disks: DiskJob[],
    readonly pull: boolean,
    private readonly onEnd: (job: BackupJob) => void,
    private readonly record: JobRecorder = async () => undefined,
  ) {}

  /** Follow the host's events; call before starting the QEMU jobs (events may beat replies). */
  listen(): void {
    this.host.qmp.on('event', this.onEvent);
    this.host.qmp.once('close', this.onClose);
  }

  /** Stop following the host's events. */
  unlisten(): void {
    this.host.qmp.off('event', this.onEvent);
    this.host.qmp.off('close', this.onClose);
  }

  private async handleEvent(e: QmpEvent): Promise<void> {
    if (e.event !== 'JOB_STATUS_CHANGE' || e.data.status !== 'concluded') return;
    const disk = this.disks.find((d) => d.jobId === e.data.id);
    if (!disk || disk.state !== 'running') return;
    const jobs = await this.host.qmp.execute<QueryJob[]>('query-jobs').catch(() => [] as QueryJob[]);
    await this.conclude(
      disk,
      jobs.find((j) => j.id === disk.jobId),
    );
  }

  /** A disk's QEMU job concluded (`info`: its last state): record how it ended, then dismiss it. */
  private async conclude(disk: DiskJob, info: QueryJob | undefined): Promise<void> {
    if (disk.state !== 'running') return;
    if (info) {
      disk.cur = info['current-progress'];
      disk.end = info['total-progress'];
    }
    disk.error = info?.error;
    disk.state = !info?.error ? 'complete' : this.aborting ? 'cancelled' : 'failed';
    // Recorded before the dismissal: once dismissed, only the record knows how the job ended.
    await this.record(this).catch(() => undefined);
    await this.host.qmp.execute('job-dismiss', { id: disk.jobId }).catch(() => undefined);
    if (this.disks.every((d) => d.state !== 'running')) void this.finish();
    else if (disk.state === 'failed') await this.cancelRunning();
  }

  /**
   * Take over a job a driver that is gone started (`disks` as it recorded them): follow its
   * events, and end the disks whose QEMU job concluded meanwhile — or vanished, its outcome
   * unknown: failed. Resolves once the job is followed or ended.
   */
  async follow(): Promise<void> {
    this.listen();
    const jobs = await this.host.qmp.execute<QueryJob[]>('query-jobs');
    for (const d of this.disks) {
      if (d.state !== 'running') continue;
      const info = jobs.find((j) => j.id === d.jobId);
      if (info?.status === 'concluded') await this.conclude(d, info);
      else if (!info) await this.conclude(d, { id: d.jobId, status: 'gone', 'current-progress': 0, 'total-progress': 0, error: GONE });
    }
    if (this.disks.every((d) => d.state !== 'running')) await this.finish();
  }

  private async cancelRunning(): Promise<void> {
    this.aborting = true;
    await this.record(this).catch(() => undefined);
    for (const d of this.disks) {
      if (d.state === 'running') await this.host.qmp.execute('job-cancel', { id: d.jobId }).catch(() => undefined);
    }
  }

  /** Refresh progress from QEMU (job statistics). */
  async refresh(): Promise<void> {
    if (this.outcome) return;
    const jobs = await this.host.qmp.execute<QueryJob[]>('query-jobs').catch(() => [] as QueryJob[]);
    for (const d of this.disks) {
      const j = jobs.find((x) => x.id === d.jobId);
      if (j) {
        d.cur = j['current-progress'];
        d.end = j['total-progress'];
      }
    }
  }

  /** End the job (virDomainAbortJob): a push job ends cancelled, a pull job completed. */
  async abort(): Promise<void> {
    if (!this.outcome) await this.cancelRunning();
    await this.done;
  }

  /** QEMU went away: whatever still ran failed. */
  private monitorLost(): void {
    for (const d of this.disks) {
      if (d.state === 'running') {
        d.state = 'failed';
        d.error = 'QEMU process exited';
      }
    }
    void this.finish();
  }

  private finish(): Promise<void> {
    this.finishing ??= this.release().finally(() => {
      this.endedAt = Date.now();
      this.outcome = this.decide();
      this.onEnd(this);
      this.resolveDone();
    });
    return this.finishing;
  }

  private decide(): JobOutcome {
    if (this.disks.some((d) => d.state === 'failed')) return 'failed';
    if (!this.pull && this.disks.some((d) => d.state === 'cancelled')) return 'cancelled';
    return 'completed';
  }

  /** The first error QEMU reported, for the statistics' errmsg. */
  get error(): string | undefined {
    return this.disks.find((d) => d.state === 'failed')?.error;
  }

  private async release(): Promise<void> {
    const qmp = this.host.qmp;
    this.unlisten();
    const alive = !qmp.closed;
    if (alive) await teardown(qmp, this.disks, this.pull);
    for (const d of this.disks) {
      const keep = !this.pull && d.state === 'complete';
      if (d.created && !keep && d.store.path) await fs.promises.rm(d.store.path, { force: true });
    }
    await this.host.release().catch(() => undefined);
  }
}

/** Undo what begin set up on the host; every step is best effort (some may not have happened). */
export async function teardown(qmp: QmpClient, disks: readonly DiskJob[], pull: boolean): Promise<void> {
  const quiet = (cmd: string, args?: Record<string, unknown>) => qmp.execute(cmd, args).catch(() => undefined);
  if (pull) {
    for (const d of disks) {
      const gone = qmp.waitEvent('BLOCK_EXPORT_DELETED', 5_000, (e) => e.data.id === d.jobId).catch(() => undefined);
      if ((await quiet('block-export-del', { id: d.jobId, mode: 'hard' })) !== undefined) await gone;
    }
    await quiet('nbd-server-stop');
  }
  for (const d of disks) {
    if (d.exportBitmap) await quiet('block-dirty-bitmap-remove', { node: d.node, name: d.exportBitmap });
    await quiet('blockdev-del', { 'node-name': d.storeNode });
  }
}
