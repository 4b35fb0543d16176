/**
 * Online block jobs: one QEMU block job (block-commit, block-stream, blockdev-mirror) driven
 * over QMP and followed through its events. Jobs run with QEMU's defaults (auto-finalize,
 * auto-dismiss), so BLOCK_JOB_COMPLETED / BLOCK_JOB_CANCELLED mark the end and carry the
 * error, BLOCK_JOB_READY the start of the ready phase of mirror-type jobs; JOB_STATUS_CHANGE
 * to `null` without either (QEMU dropped the job) ends it as failed.
 */
import type { QmpEvent, QmpTransport } from '../qmp/client';
import { detachImages, type ImageNodes } from './nodes';
import type { ChainLayer, JobRunner, RawProgress, RunnerEvents } from './types';

interface QueryBlockJob {
  device: string;
  len: number;
  offset: number;
  speed: number;
  ready: boolean;
}

export class QmpJobRunner implements JobRunner {
  private ended = false;
  private lastError: string | undefined;

  constructor(
    private readonly qmp: QmpTransport,
    readonly jobId: string,
    /** Nodes of the images involved, by path (the copy target included). */
    private readonly nodes: Map<string, ImageNodes>,
    private readonly events: RunnerEvents,
    /** A mirror-type job (copy, active commit) that becomes ready before it can end. */
    private readonly twoPhase: boolean,
  ) {}

  /** Start the QEMU job (`command` with its arguments; the job id is added). */
  async start(command: string, args: Record<string, unknown>): Promise<void> {
    await this.qmp.execute(command, { 'job-id': this.jobId, ...args });
  }

  /** Follow one QMP event; returns whether it belonged to this job. */
  onQmpEvent(e: QmpEvent): boolean {
    const id = e.event === 'JOB_STATUS_CHANGE' ? e.data.id : e.data.device;
    if (id !== this.jobId || this.ended) return false;
    switch (e.event) {
      case 'BLOCK_JOB_READY':
        this.events.ready();
        break;
      case 'BLOCK_JOB_ERROR':
        this.lastError = `I/O error during ${String(e.data.operation)} (action ${String(e.data.action)})`;
        break;
      case 'BLOCK_JOB_COMPLETED':
        this.finish(typeof e.data.error === 'string' ? { kind: 'failed', error: e.data.error } : { kind: 'completed' });
        break;
      case 'BLOCK_JOB_CANCELLED':
        this.finish({ kind: 'cancelled' });
        break;
      case 'JOB_STATUS_CHANGE':
        if (e.data.status === 'null') this.finish({ kind: 'failed', error: this.lastError ?? 'job disappeared' });
        break;
      default:
        return false;
    }
    return true;
  }

  /** The monitor went away: the job is gone with QEMU. */
  monitorLost(): void {
    this.finish({ kind: 'failed', error: 'QEMU exited' });
  }

  private finish(outcome: Parameters<RunnerEvents['ended']>[0]): void {
    if (this.ended) return;
    this.ended = true;
    this.events.ended(outcome);
  }

  async setSpeed(bytesPerSec: number): Promise<void> {
    await this.qmp.execute('block-job-set-speed', { device: this.jobId, speed: bytesPerSec });
  }

  async cancel(): Promise<void> {
    await this.qmp.execute('block-job-cancel', { device: this.jobId });
  }

  async complete(): Promise<void> {
    await this.qmp.execute('job-complete', { id: this.jobId });
  }

  async progress(): Promise<RawProgress | undefined> {
    const jobs = await this.qmp.execute<QueryBlockJob[]>('query-block-jobs');
    const j = jobs.find((x) => x.device === this.jobId);
    if (!j) return undefined;
    return { cur: j.offset, end: j.len, speed: j.speed, ready: this.twoPhase ? j.ready : undefined };
  }

  async release(dropped: readonly ChainLayer[]): Promise<void> {
    const nodes = dropped.map((l) => this.nodes.get(l.path)).filter((n): n is ImageNodes => n !== undefined);
    await detachImages(this.qmp, nodes);
  }
}
