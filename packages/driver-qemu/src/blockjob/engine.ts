/**
 * Block jobs of one domain (libvirt's virDomainBlockCommit/Pull/Rebase/Copy, BlockJobAbort,
 * BlockJobSetSpeed, GetBlockJobInfo for the QEMU driver).
 *
 * Usage by the connection — one `BlockJobs` per domain, living as long as the domain object:
 *
 *   const jobs = new BlockJobs({ qmp, def, save, emit });
 *   runtime.on('qmp-event', (e) => jobs.handleQmpEvent(e));   // feed QMP events
 *   ...when QEMU stops or the monitor is lost:  jobs.monitorLost()
 *   domainBlockCommit(dom, disk, base, top, bw, flags) → jobs.commit(disk, base, top, bw, flags)
 *   ... pull / rebase / copy / abort / setSpeed / info likewise (same arguments as the SPI).
 *
 * Calls return once the job runs (as libvirt's do); the end is published as BLOCK_JOB and
 * BLOCK_JOB_2 events through `host.emit`, after the definition got the new chain and was saved.
 * While the domain runs, jobs are QEMU block jobs over QMP (runner in online.ts); while it is
 * shut off, commit and pull run qemu-img on the images (offline.ts) with the same info, abort
 * and events. Copy needs a running domain. The caller holds the domain job lock around each
 * call; one block job may run per disk.
 *
 * Two-phase jobs (copy, active commit) emit READY when in sync; `abort(PIVOT)` switches the disk
 * to the new image (COMPLETED), plain `abort` leaves the disk as it was (CANCELED) — a copy
 * target keeps its full copy, a commit base keeps the committed data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ConnectDomainEventBlockJobStatus as Status,
  DomainBlockCommitFlags as Commit,
  DomainBlockCopyFlags as Copy,
  DomainBlockJobAbortFlags as Abort,
  DomainBlockJobInfoFlags as InfoFlags,
  DomainBlockJobSetSpeedFlags as SpeedFlags,
  DomainBlockJobType as JobType,
  DomainBlockRebaseFlags as Rebase,
  DomainEventID,
  VirError,
  type BlockJobInfo,
  type TypedParams,
} from '@virtkit/core';
import { type DomainDevice } from '@virtkit/xml';
import type { QmpEvent } from '../qmp/client';
import { diskChain, imageSize, writeDiskChain } from './chain';
import * as err from './errors';
import { QemuImgRunner, type OfflineStep } from './offline';
import { QmpJobRunner } from './online';
import { blockNodes, diskChains, type ImageNodes } from './nodes';
import { parseCopyTarget, prepareMirror, type CopyTarget, type CopyTunables } from './copy';
import { LLONG_MAX, TYPE_NAME, commitArgs, commitSteps, planCommit, planCopy, planPull, pullArgs, pullSteps, toBytes } from './plans';
import type { BlockJobHost, ChainLayer, JobRecord, JobRunner, JobState, Plan, RunnerOutcome } from './types';

const MIB = 1024 * 1024;

interface Job {
  dst: string;
  type: JobType;
  twoPhase: boolean;
  offline: boolean;
  state: JobState;
  runner: JobRunner;
  /** QEMU's job id (online jobs). */
  jobId?: string;
  /** Active layer path when the job started. */
  path: string;
  plan: Plan;
  done: Promise<number>;
  resolveDone: (status: number) => void;
  /** Resolves when a two-phase job becomes ready. */
  ready: Promise<void>;
  resolveReady: () => void;
}

export class BlockJobs {
  private readonly jobs = new Map<string, Job>();
  /** How each disk's latest job ended. */
  private readonly lastStatus = new Map<string, number>();
  /** Disks whose job is being set up (between the checks and the registration). */
  private readonly starting = new Set<string>();

  constructor(private readonly host: BlockJobHost) {}

  private get qemuImg(): string {
    return this.host.qemuImg ?? 'qemu-img';
  }

  // ------------------------------------------------------------------ public calls

  /** virDomainBlockCommit. */
  async commit(disk: string, base: string | null, top: string | null, bandwidth: number, flags: number): Promise<void> {
    const speed = toBytes(bandwidth, (flags & Commit.VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES) !== 0);
    await this.withDisk(disk, async (dev, dst) => {
      if (!dev.disk!.source.path) throw err.noSourceToCommit(dst);
      const chain = await diskChain(dev, this.qemuImg);
      const plan = await planCommit(chain, dst, base, top, flags, this.qemuImg);
      const qmp = this.host.qmp();
      if (qmp) {
        const { byPath } = await blockNodes(qmp);
        return this.startOnline(dst, chain, plan, byPath, 'block-commit', commitArgs(chain, plan, byPath, speed));
      }
      this.startOffline(dst, chain, plan, commitSteps(chain, plan, speed), () => imageSize(chain[plan.top].path, this.qemuImg), speed);
    });
  }

  /** virDomainBlockPull: a rebase onto nothing. */
  pull(disk: string, bandwidth: number, flags: number): Promise<void> {
    return this.rebase(disk, null, bandwidth, flags);
  }

  /** virDomainBlockRebase: pull above `base`, or with COPY a copy job to `base`. */
  async rebase(disk: string, base: string | null, bandwidth: number, flags: number): Promise<void> {
    const speed = toBytes(bandwidth, (flags & Rebase.VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES) !== 0);
    if (flags & Rebase.VIR_DOMAIN_BLOCK_REBASE_COPY) return this.rebaseCopy(disk, base, speed, flags);
    const pullFlags = Rebase.VIR_DOMAIN_BLOCK_REBASE_RELATIVE | Rebase.VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES;
    if (flags & ~pullFlags) throw err.unsupportedFlags(flags & ~pullFlags, 'qemuDomainBlockPullCommon');
    const relative = (flags & Rebase.VIR_DOMAIN_BLOCK_REBASE_RELATIVE) !== 0;
    if (relative && !base) throw err.relativeNeedsBase();
    await this.withDisk(disk, async (dev, dst) => {
      const chain = await diskChain(dev, this.qemuImg);
      const plan = await planPull(chain, dst, base, relative, this.qemuImg);
      const qmp = this.host.qmp();
      if (qmp) {
        const { byPath } = await blockNodes(qmp);
        return this.startOnline(dst, chain, plan, byPath, 'block-stream', pullArgs(chain, plan, byPath, speed));
      }
      if (speed) throw err.offlineSpeedUnsupported('block pull');
      this.startOffline(dst, chain, plan, pullSteps(chain, plan), () => imageSize(chain[0].path, this.qemuImg), 0);
    });
  }

  /** blockRebase with COPY: a block copy described by flags instead of destination XML. */
  private rebaseCopy(disk: string, dest: string | null, speed: number, flags: number): Promise<void> {
    if (dest === null) throw VirError.invalidArg('base in virDomainBlockRebase must not be NULL');
    if (!path.isAbsolute(dest)) throw err.copyTargetNotAbsolute();
    const target: CopyTarget = {
      path: dest,
      type: flags & Rebase.VIR_DOMAIN_BLOCK_REBASE_COPY_DEV ? 'block' : 'file',
      format: flags & Rebase.VIR_DOMAIN_BLOCK_REBASE_COPY_RAW ? 'raw' : undefined,
    };
    const copyFlags =
      (flags & Rebase.VIR_DOMAIN_BLOCK_REBASE_SHALLOW ? Copy.VIR_DOMAIN_BLOCK_COPY_SHALLOW : 0) |
      (flags & Rebase.VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT ? Copy.VIR_DOMAIN_BLOCK_COPY_REUSE_EXT : 0);
    return this.copyCommon(disk, target, { speed }, copyFlags);
  }

  /** virDomainBlockCopy: mirror the disk into the image `destxml` describes. */
  async copy(disk: string, destxml: string, params: TypedParams, flags: number): Promise<void> {
    const target = parseCopyTarget(destxml);
    const speed = params.bandwidth !== undefined ? Number(params.bandwidth) : 0;
    if (BigInt(speed) > LLONG_MAX) throw err.bandwidthOverflow(LLONG_MAX);
    const tun = { speed, granularity: optNumber(params.granularity), bufSize: optNumber(params['buf-size']) };
    return this.copyCommon(disk, target, tun, flags);
  }

  /** virDomainBlockJobAbort: cancel, or pivot a ready two-phase job. */
  async abort(disk: string, flags: number): Promise<void> {
    const { dst } = this.findDisk(disk);
    const job = this.jobs.get(dst);
    if (!job) throw err.noActiveJob(dst);
    if (job.state === 'aborting' || job.state === 'pivoting') {
      throw err.jobEnding(dst);
    }
    if (flags & Abort.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) {
      if (!job.twoPhase) throw err.pivotUnsupported(TYPE_NAME[job.type]);
      if (job.state !== 'ready') throw err.notReadyForPivot(dst);
      job.state = 'pivoting';
      await this.persist();
      await job.runner.complete().catch((e) => this.restore(job, 'ready', e));
    } else {
      const previous = job.state;
      job.state = 'aborting';
      await this.persist();
      await job.runner.cancel().catch((e) => this.restore(job, previous, e));
    }
    if (!(flags & Abort.VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC)) await job.done;
  }

  /** virDomainBlockJobSetSpeed. */
  async setSpeed(disk: string, bandwidth: number, flags: number): Promise<void> {
    const speed = toBytes(bandwidth, (flags & SpeedFlags.VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES) !== 0);
    const { dst } = this.findDisk(disk);
    const job = this.jobs.get(dst);
    if (!job) throw err.noActiveJob(dst);
    if (job.offline) throw err.offlineSpeedUnsupported('block job speed change');
    await job.runner.setSpeed(speed);
  }

  /** virDomainGetBlockJobInfo: null when the disk has no job. */
  async info(disk: string, flags: number): Promise<BlockJobInfo | null> {
    const { dst } = this.findDisk(disk);
    const job = this.jobs.get(dst);
    if (!job) return null;
    const raw = await job.runner.progress();
    if (!raw) return null;
    let { cur, end } = raw;
    // Reported as libvirt does: a job that has not started looks unstarted, and a two-phase
    // job that copied everything but is not ready yet must not look finished.
    if (cur === 0 && end === 0 && raw.ready !== undefined) {
      end = 1;
      if (raw.ready) cur = 1;
    } else if (cur === end && raw.ready === false) end++;
    const speed = raw.speed;
    const bandwidth = flags & InfoFlags.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES ? speed : Math.ceil(speed / MIB);
    return { type: job.type, bandwidth, cur, end };
  }

  /** Follow the QMP event stream of the domain (every event; others are ignored). */
  handleQmpEvent(e: QmpEvent): void {
    for (const job of this.jobs.values()) {
      if (job.runner instanceof QmpJobRunner && job.runner.onQmpEvent(e)) return;
    }
  }

  /** QEMU is gone: its jobs end as failed. */
  monitorLost(): void {
    for (const job of [...this.jobs.values()]) if (job.runner instanceof QmpJobRunner) job.runner.monitorLost();
  }

  /**
   * After a driver restart: take back the online jobs the status file recorded. A job QEMU
   * still runs is followed again (READY published if it became ready meanwhile, a pivot or
   * abort that was under way asked for again). One that ended while no driver watched is judged
   * by the disk's chain in QEMU — switched to the planned chain: completed; else cancelled when
   * an abort had been asked for, failed otherwise — and ends as it would have (definition,
   * events).
   */
  async adopt(records: readonly JobRecord[]): Promise<void> {
    const qmp = this.host.qmp();
    if (!qmp || records.length === 0) return;
    const running = await qmp.execute<Array<{ device: string; ready: boolean }>>('query-block-jobs');
    const { byPath } = await blockNodes(qmp);
    const chains = await diskChains(qmp);
    for (const r of records) {
      const job = this.newJob(
        r.dst,
        r.path,
        r.plan,
        false,
        (j) => new QmpJobRunner(qmp, r.jobId, byPath, this.runnerEvents(j), j.twoPhase),
      );
      job.jobId = r.jobId;
      job.state = r.state;
      if (r.state === 'ready') job.resolveReady();
      this.jobs.set(r.dst, job);
      const live = running.find((j) => j.device === r.jobId);
      if (live) {
        // A pivot or abort asked for just before the restart may not have reached QEMU: ask
        // again (QEMU refuses a repeat, harmlessly).
        if (r.state === 'pivoting') await job.runner.complete().catch(() => undefined);
        else if (r.state === 'aborting') await job.runner.cancel().catch(() => undefined);
        else if (live.ready && r.state === 'running') this.runnerEvents(job).ready();
        continue;
      }
      const planned = r.plan.after.map((l) => l.path);
      const now = chains.find((c) => c[0] === planned[0] || c[0] === r.path);
      if (now && now.join('\n') === planned.join('\n')) {
        if (job.twoPhase) job.state = 'pivoting';
        await this.finish(job, { kind: 'completed' });
      } else if (r.state === 'aborting') await this.finish(job, { kind: 'cancelled' });
      else await this.finish(job, { kind: 'failed', error: 'the job ended while no driver followed it, without switching the disk' });
    }
  }

  /** Resolves once no offline job is still running qemu-img: each has ended or, two-phase, is ready. */
  async offlineWorkDone(): Promise<void> {
    await Promise.all([...this.jobs.values()].filter((j) => j.offline).map((j) => Promise.race([j.done, j.ready])));
  }

  /** Resolves true once the disk's two-phase job is ready to pivot, false when it ended (or there is none). */
  async readied(disk: string): Promise<boolean> {
    const job = this.jobs.get(this.findDisk(disk).dst);
    if (!job) return false;
    return Promise.race([job.ready.then(() => true), job.done.then(() => false)]);
  }

  /**
   * Resolves with the final ConnectDomainEventBlockJobStatus of the disk's job: the running one's
   * when it ends, else the last one's (a quick job may end before its caller asks); undefined
   * when the disk never had one.
   */
  async settled(disk: string): Promise<number | undefined> {
    const dst = this.findDisk(disk).dst;
    const job = this.jobs.get(dst);
    return job ? job.done : this.lastStatus.get(dst);
  }

  // ------------------------------------------------------------------ copy

  private async copyCommon(disk: string, target: CopyTarget, tun: CopyTunables, flags: number): Promise<void> {
    await this.withDisk(disk, async (dev, dst) => {
      const qmp = this.host.qmp();
      if (!qmp) throw err.domainNotRunning();
      const chain = await diskChain(dev, this.qemuImg);
      const m = await prepareMirror(qmp, chain, dst, target, tun, flags, this.qemuImg);
      const plan = planCopy(chain, m.layer, (flags & Copy.VIR_DOMAIN_BLOCK_COPY_SHALLOW) !== 0);
      try {
        await this.startOnline(dst, chain, plan, m.byPath, 'blockdev-mirror', m.args);
      } catch (e) {
        await m.undo();
        throw e;
      }
    });
  }

  // ------------------------------------------------------------------ job lifecycle

  /** Find the disk, refuse a busy one, and run `fn` with the disk reserved. */
  private async withDisk(disk: string, fn: (dev: DomainDevice, dst: string) => Promise<void>): Promise<void> {
    const { dev, dst } = this.findDisk(disk);
    const busy = this.jobs.get(dst);
    if (busy) throw busy.twoPhase ? err.mirrorActive(dst) : err.jobActive(dst);
    if (this.starting.has(dst)) throw err.jobActive(dst);
    const type = dev.disk!.type;
    if (type !== 'file' && type !== 'block') throw err.unsupportedDiskType(dst, type);
    this.starting.add(dst);
    try {
      await fn(dev, dst);
    } finally {
      this.starting.delete(dst);
    }
  }

  /** virDomainDiskByName: a target name or a source path. */
  private findDisk(disk: string): { dev: DomainDevice; dst: string } {
    const devs = this.host.def().devices.filter((d) => d.disk);
    const dev = devs.find((d) => d.disk!.targetDev === disk) ?? devs.find((d) => d.disk!.source.path === disk);
    if (!dev) throw err.diskNotFound(disk);
    return { dev, dst: dev.disk!.targetDev };
  }

  private newJob(dst: string, path: string, plan: Plan, offline: boolean, runner: (j: Job) => JobRunner): Job {
    let resolveDone!: (s: number) => void;
    const done = new Promise<number>((r) => (resolveDone = r));
    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => (resolveReady = r));
    const job: Job = {
      dst,
      type: plan.type,
      twoPhase: plan.type === JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY || plan.type === JobType.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT,
      offline,
      state: 'running',
      runner: undefined as unknown as JobRunner,
      path,
      plan,
      done,
      resolveDone,
      ready,
      resolveReady,
    };
    job.runner = runner(job);
    return job;
  }

  private runnerEvents(job: Job) {
    return {
      ready: () => {
        if (job.state !== 'running') return;
        job.state = 'ready';
        void this.persist();
        this.publish(job, Status.VIR_DOMAIN_BLOCK_JOB_READY);
        job.resolveReady();
      },
      ended: (outcome: RunnerOutcome) => void this.finish(job, outcome),
    };
  }

  private async startOnline(
    dst: string,
    chain: ChainLayer[],
    plan: Plan,
    byPath: Map<string, ImageNodes>,
    command: string,
    args: Record<string, unknown>,
  ): Promise<void> {
    const qmp = this.host.qmp()!;
    const jobId = `${TYPE_NAME[plan.type]}-${dst}-${String(args.device)}`;
    const job = this.newJob(dst, chain[0].path, plan, false, (j) => new QmpJobRunner(qmp, jobId, byPath, this.runnerEvents(j), j.twoPhase));
    job.jobId = jobId;
    // Registered before the command: QEMU may report the end of a quick job right after it.
    this.jobs.set(dst, job);
    try {
      await (job.runner as QmpJobRunner).start(command, args);
    } catch (e) {
      this.jobs.delete(dst);
      throw e;
    }
    await this.persist();
  }

  private startOffline(
    dst: string,
    chain: ChainLayer[],
    plan: Plan,
    steps: OfflineStep[],
    sizeOf: () => Promise<number>,
    speed: number,
  ): void {
    const job = this.newJob(
      dst,
      chain[0].path,
      plan,
      true,
      (j) => new QemuImgRunner(steps, sizeOf, j.twoPhase, speed, this.runnerEvents(j), this.qemuImg),
    );
    this.jobs.set(dst, job);
    (job.runner as QemuImgRunner).start();
  }

  /** The job ended: record the new chain when it switched, tidy up, publish. */
  private async finish(job: Job, outcome: RunnerOutcome): Promise<void> {
    const status = endStatus(job, outcome);
    try {
      if (status === Status.VIR_DOMAIN_BLOCK_JOB_COMPLETED) await this.applyChain(job);
      else if (job.plan.discardOnAbort) await job.runner.release(job.plan.discardOnAbort);
    } catch {
      // The job's own outcome stands; a failed tidy-up leaves nodes or files behind.
    }
    this.jobs.delete(job.dst);
    this.lastStatus.set(job.dst, status);
    if (!job.offline) await this.persist();
    this.publish(job, status);
    job.resolveDone(status);
  }

  /** Hand the online jobs to the host to keep with the running domain. */
  private async persist(): Promise<void> {
    const records: JobRecord[] = [];
    for (const j of this.jobs.values()) {
      if (j.jobId) records.push({ dst: j.dst, jobId: j.jobId, path: j.path, plan: j.plan, state: j.state });
    }
    // The job goes on either way; a restarted driver then just does not know it.
    await this.host.persist?.(records).catch(() => undefined);
  }

  private async applyChain(job: Job): Promise<void> {
    const def = this.host.def();
    const dev = def.devices.find((d) => d.disk?.targetDev === job.dst);
    if (dev) {
      writeDiskChain(dev, job.plan.after);
      await this.host.save(def);
    }
    await job.runner.release(job.plan.dropped);
    if (job.plan.deleteDropped) for (const l of job.plan.dropped) await fs.promises.rm(l.path, { force: true });
  }

  /** BLOCK_JOB names the disk's image as it is now (after a pivot, the new one), as libvirt's does; BLOCK_JOB_2 the target. */
  private publish(job: Job, status: number): void {
    const path = this.host.def().devices.find((d) => d.disk?.targetDev === job.dst)?.disk?.source.path ?? job.path;
    this.host.emit({ eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB, path, type: job.type, status });
    this.host.emit({ eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, dst: job.dst, type: job.type, status });
  }

  /** Put a job back into its state when the abort/pivot command itself failed. */
  private restore(job: Job, state: JobState, e: unknown): never {
    job.state = state;
    throw e;
  }
}

/** The event status for how a job ended. */
function endStatus(job: Job, outcome: RunnerOutcome): number {
  if (outcome.kind === 'failed') return Status.VIR_DOMAIN_BLOCK_JOB_FAILED;
  if (outcome.kind === 'cancelled') return Status.VIR_DOMAIN_BLOCK_JOB_CANCELED;
  // A two-phase job "completes" on abort too (QEMU ends a ready mirror that way); only a pivot switches.
  if (job.twoPhase && job.state !== 'pivoting') return Status.VIR_DOMAIN_BLOCK_JOB_CANCELED;
  return Status.VIR_DOMAIN_BLOCK_JOB_COMPLETED;
}

function optNumber(v: unknown): number | undefined {
  return v === undefined ? undefined : Number(v);
}
