/**
 * Backup jobs of one domain (libvirt's qemu_backup.c): virDomainBackupBegin,
 * virDomainBackupGetXMLDesc, and the job calls that see a backup (virDomainGetJobStats,
 * virDomainAbortJob) plus the JOB_COMPLETED event.
 *
 * - push: each disk is copied by `blockdev-backup` into a target image created for the job
 *   (qcow2 by default, raw on request; REUSE_EXTERNAL uses the caller's): `sync=full`, or for an
 *   incremental backup since checkpoint C `sync=bitmap` over C's own bitmap with
 *   `bitmap-mode=never`, so C's bitmap keeps recording everything since C (no chain, no merge).
 * - pull: each disk gets a scratch overlay backed by the disk and a `sync=none` backup job into
 *   it (fleecing: the export shows the disk as it was when the job began); an NBD server (unix
 *   socket or TCP) exports the overlays, and an incremental export carries a disabled copy of
 *   C's bitmap as meta context `qemu:dirty-bitmap:<exportbitmap>` (QEMU exports only disabled
 *   bitmaps read-only). The job runs until virDomainAbortJob, which ends it as completed.
 * - a checkpoint XML makes the new checkpoint's bitmaps part of the same transaction.
 * - shut-off domain: the same QMP sequence on a qemu-storage-daemon opening the disks, which
 *   quits when the job ends (the connection must not start the domain meanwhile: `active`).
 * A bitmap that is missing, inconsistent or not recording fails only backups that need it:
 * VIR_ERR_CHECKPOINT_INCONSISTENT "missing or broken bitmap 'C' for disk 'vda'".
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  DomainBackupBeginFlags as Begin,
  DomainEventID,
  DomainGetJobStatsFlags as StatsFlags,
  DomainJobOperation,
  DomainJobType,
  ErrorDomain,
  ErrorNumber,
  VirError,
  type JobStats,
  type TypedParams,
} from '@virtkit/core';
import {
  alignBackupDisks,
  formatBackupXml,
  formatCheckpointXml,
  newDiskSource,
  parseBackupXml,
  type BackupDomainDisk,
  type DomainBackupDef,
  type DomainCheckpointDef,
} from '@virtkit/xml';
import { addBitmapAction, bitmapProblem, liveBitmaps, runTool, type TransactionAction } from './bitmaps';
import { brokenBitmap, coveredBitmaps } from './checkpoint-def';
import type { Checkpoints } from './checkpoints';
import { QEMU_IMG, STORAGE_DAEMON, type BackupContext } from './context';
import { backupDisks, liveNodeNames, nodeOf } from './disks';
import { BackupJob, teardown, type BlockHost, type DiskJob } from './job';
import type { BackupRecord } from './record';
import { StorageDaemon } from './storage-daemon';

const QEMU = ErrorDomain.VIR_FROM_QEMU;
/** libvirt's NBD port range for pull-mode servers without a port. */
const NBD_PORTS = [10809, 10909] as const;

interface Completed {
  stats: JobStats;
}

export class Backups {
  private job: BackupJob | undefined;
  private def: DomainBackupDef | undefined;
  private completed: Completed | undefined;
  /** The record of the job being begun or run (record.ts); undefined for an offline job. */
  private recorded: BackupRecord | undefined;

  constructor(
    private readonly ctx: BackupContext,
    private readonly checkpoints: Checkpoints,
  ) {}

  /** A backup job is running (offline ones hold the disk images open). */
  get active(): boolean {
    return this.job !== undefined;
  }

  /** Resolves when the running job (if any) has ended. */
  async settled(): Promise<void> {
    await this.job?.done;
  }

  /** virDomainBackupBegin. */
  async begin(backupXml: string, checkpointXml: string | null, flags: number): Promise<void> {
    if (this.job) throw VirError.operationInvalid('another backup job is already running', QEMU);
    const reuse = !!(flags & Begin.VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL);
    const def = parseBackupXml(backupXml);
    const domDisks = backupDisks(this.ctx.def());
    const aligned: BackupDomainDisk[] = domDisks.map((d) => ({
      dst: d.target,
      src: { ...newDiskSource(d.path ? (d.type as 'file') : 'none'), path: d.path, readonly: d.readonly },
    }));
    // The parser gives every disk a store; one without a path is "pick a name" for alignment.
    for (const d of def.disks) if (d.store && !d.store.path) delete d.store;
    alignBackupDisks(def, aligned, String(Math.floor(Date.now() / 1000)));
    const chosen = def.disks.filter((d) => d.backup === 'yes');
    if (!chosen.length) throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, QEMU, 'no disks selected for backup');
    for (const d of chosen) {
      d.store!.format ??= 'qcow2';
      if (def.type === 'pull') {
        d.exportname ??= d.name;
        if (d.backupmode === 'incremental') d.exportbitmap ??= `backup-${d.name}`;
      }
    }
    const newCheckpoint = checkpointXml ? await this.checkpoints.prepare(checkpointXml) : undefined;
    const sources = await this.incrementalBitmaps(def);
    if (def.type === 'pull') await settleServer(def);

    const host = await this.openHost();
    const jobs: DiskJob[] = [];
    // Only a job in the domain's QEMU outlives this driver; a storage daemon's is not recorded.
    const record: BackupRecord | undefined =
      host.qmp === this.ctx.qmp()
        ? {
            phase: 'starting',
            pull: def.type === 'pull',
            xml: formatBackupXml(def),
            startedAt: Date.now(),
            aborting: false,
            exported: false,
            checkpoint: newCheckpoint && formatCheckpointXml(newCheckpoint, { secure: true }),
            disks: jobs,
          }
        : undefined;
    this.recorded = record;
    const save = () => this.save(record);
    const job = new BackupJob(host, jobs, def.type === 'pull', (j) => this.ended(j), save);
    try {
      await this.checkBitmaps(host, sources);
      const sizes = await virtualSizes(host);
      for (const d of chosen) {
        const node = nodeOf(host.nodes, d.name);
        jobs.push({
          target: d.name,
          node,
          jobId: `backup-${d.name}-${node}`,
          store: d.store!,
          storeNode: `vk-backup-${d.name}`,
          created: false,
          exportName: d.exportname,
          exportBitmap: d.exportbitmap,
          state: 'running',
          cur: 0,
          end: 0,
        });
      }
      // The intent, before the first file or node exists.
      await save();
      for (const disk of jobs) {
        await this.prepareStore(disk, sizes.get(disk.node) ?? 0, reuse);
        if (disk.created) await save();
        await host.qmp.execute('blockdev-add', storeNode(disk, def.type === 'pull' ? disk.node : undefined));
      }
      const actions: TransactionAction[] = [
        ...(newCheckpoint ? checkpointActions(newCheckpoint, host) : []),
        ...jobs.flatMap((j) => backupActions(j, def.type === 'pull', sources.get(j.target))),
      ];
      job.listen();
      await host.qmp.execute('transaction', { actions });
    } catch (e) {
      job.unlisten();
      await teardown(host.qmp, jobs, def.type === 'pull');
      for (const j of jobs) if (j.created && j.store.path) await fs.promises.rm(j.store.path, { force: true });
      await host.release();
      await this.forget();
      throw e;
    }
    // The QEMU jobs run: from here the job object owns the cleanup, and the bitmaps of the new
    // checkpoint exist whatever happens to the exports.
    this.job = job;
    this.def = def;
    if (newCheckpoint) await this.checkpoints.commit(newCheckpoint);
    await this.running(record);
    if (def.type === 'pull') {
      try {
        await this.startExports(job, def);
      } catch (e) {
        await job.abort();
        throw e;
      }
      if (record) record.exported = true;
      await save();
    }
  }

  /** Keep the job's record in the status file (not once the job is over: a late update must not revive it). */
  private async save(record: BackupRecord | undefined): Promise<void> {
    if (record && record === this.recorded) await this.ctx.persist?.(record);
  }

  /** The job is over, or never started: drop its record. */
  private async forget(): Promise<void> {
    this.recorded = undefined;
    await this.ctx.persist?.(undefined);
  }

  /** The QEMU jobs run and the checkpoint (if any) is stored. */
  private async running(record: BackupRecord | undefined): Promise<void> {
    if (!record) return;
    record.phase = 'running';
    delete record.checkpoint;
    await this.save(record);
  }

  /**
   * Take over the backup a driver that is gone recorded (see record.ts): one it was still
   * setting up is undone as begin's failure undoes it; a started one is followed, and ended
   * here if QEMU finished it meanwhile.
   */
  async adopt(record: BackupRecord): Promise<void> {
    const qmp = this.ctx.qmp();
    if (!qmp || this.job) return;
    const host: BlockHost = { qmp, nodes: new Map(record.disks.map((d) => [d.target, d.node])), release: async () => undefined };
    const qemuJobs = await qmp.execute<Array<{ id: string }>>('query-jobs');
    const started = record.phase === 'running' || record.disks.some((d) => qemuJobs.some((j) => j.id === d.jobId));
    if (!started) {
      // The transaction never ran: no job, no checkpoint bitmap; only nodes and files to remove.
      await teardown(qmp, record.disks, record.pull);
      for (const d of record.disks) if (d.created && d.store.path) await fs.promises.rm(d.store.path, { force: true });
      await this.forget();
      return;
    }
    const job = new BackupJob(
      host,
      record.disks,
      record.pull,
      (j) => this.ended(j),
      () => this.save(record),
    );
    job.startedAt = record.startedAt;
    job.aborting = record.aborting;
    this.job = job;
    this.recorded = record;
    this.def = parseBackupXml(record.xml);
    if (record.checkpoint) await this.checkpoints.commitRecorded(record.checkpoint);
    await this.running(record);
    await job.follow();
    // A pull job whose exports never started serves nobody: end it.
    if (record.pull && !record.exported && !job.outcome) await job.abort();
  }

  /**
   * The driver closes: an offline job lives in this process's storage daemon, which must not
   * outlive it holding the images, so a push job is waited for and a pull job (which runs until
   * aborted) ended. A job in the domain's QEMU goes on; its record lets the next driver take it.
   */
  async closing(): Promise<void> {
    const job = this.job;
    if (!job || this.recorded) return;
    if (job.pull) await job.abort();
    else await job.done;
  }

  /** Disk → the bitmap its incremental backup reads (the checkpoint's own bitmap). */
  private async incrementalBitmaps(def: DomainBackupDef): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const d of def.disks) {
      if (d.backup !== 'yes' || d.backupmode !== 'incremental') continue;
      const chk: DomainCheckpointDef = await this.checkpoints.get(d.incremental!);
      const covered = coveredBitmaps(chk).find((b) => b.target === d.name);
      if (!covered) throw brokenBitmap(d.incremental!, d.name);
      out.set(d.name, covered.bitmap);
    }
    return out;
  }

  private async checkBitmaps(host: BlockHost, sources: Map<string, string>): Promise<void> {
    if (!sources.size) return;
    const bitmaps = await liveBitmaps(host.qmp);
    for (const [target, bitmap] of sources) {
      if (bitmapProblem(bitmaps.get(nodeOf(host.nodes, target)), bitmap)) throw brokenBitmap(bitmap, target);
    }
  }

  /** The running QEMU, or a storage daemon opening the shut-off domain's disks. */
  private async openHost(): Promise<BlockHost> {
    const qmp = this.ctx.qmp();
    const disks = backupDisks(this.ctx.def());
    if (qmp) return { qmp, nodes: await liveNodeNames(qmp, disks), release: async () => undefined };
    const bin = this.ctx.storageDaemon ?? STORAGE_DAEMON;
    const qsd = await StorageDaemon.start(
      bin,
      this.ctx.dirs.run,
      disks.filter((d) => !d.readonly),
      false,
    );
    return { qmp: qsd.qmp, nodes: qsd.nodes, release: () => qsd.stop() };
  }

  /** Create the target/scratch image (or check the caller's with REUSE_EXTERNAL). */
  private async prepareStore(job: DiskJob, size: number, reuse: boolean): Promise<void> {
    const file = job.store.path!;
    if (job.store.type !== 'file' && job.store.type !== 'block') {
      throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, QEMU, `unsupported backup store type for disk '${job.target}'`);
    }
    const exists = fs.existsSync(file);
    if (reuse) {
      if (!exists) throw VirError.invalidArg(`missing store '${file}' for backup of '${job.target}'`, QEMU);
      return;
    }
    if (exists) throw VirError.invalidArg(`store '${file}' for backup of '${job.target}' exists`, QEMU);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await runTool(this.ctx.qemuImg ?? QEMU_IMG, ['create', '-q', '-f', job.store.format!, file, String(size)]);
    job.created = true;
  }

  private async startExports(job: BackupJob, def: DomainBackupDef): Promise<void> {
    const server = def.server!;
    const addr =
      server.transport === 'unix'
        ? { type: 'unix', data: { path: server.socket } }
        : { type: 'inet', data: { host: server.name, port: String(server.port) } };
    await job.host.qmp.execute('nbd-server-start', { addr });
    for (const d of job.disks) {
      const args: Record<string, unknown> = {
        type: 'nbd',
        id: d.jobId,
        'node-name': d.storeNode,
        name: d.exportName,
        writable: false,
      };
      if (d.exportBitmap) args.bitmaps = [{ node: d.node, name: d.exportBitmap }];
      await job.host.qmp.execute('block-export-add', args);
    }
  }

  private ended(job: BackupJob): void {
    this.completed = { stats: statsOf(job) };
    this.job = undefined;
    this.def = undefined;
    void this.forget().catch(() => undefined);
    this.ctx.emit({
      eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
      dom: this.ctx.ref(),
      params: this.completed.stats.params,
    });
  }

  /** virDomainBackupGetXMLDesc: the running job's definition with every default filled in. */
  getXMLDesc(): string {
    if (!this.def) throw VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN_BACKUP, QEMU, "no domain backup job with id '0'");
    return formatBackupXml(this.def);
  }

  /** virDomainGetJobStats for backup jobs (type NONE when there is none). */
  async jobStats(flags: number): Promise<JobStats> {
    if (flags & StatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED) {
      const done = this.completed;
      if (!(flags & StatsFlags.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED)) this.completed = undefined;
      return done?.stats ?? { type: DomainJobType.VIR_DOMAIN_JOB_NONE, params: {} };
    }
    const job = this.job;
    if (!job) return { type: DomainJobType.VIR_DOMAIN_JOB_NONE, params: {} };
    await job.refresh();
    return statsOf(job);
  }

  /** virDomainAbortJob: ends the backup (push: cancelled; pull: completed) once QEMU let go. */
  async abort(): Promise<void> {
    if (!this.job) throw VirError.operationInvalid('no job is active on the domain', QEMU);
    await this.job.abort();
  }
}

function checkpointActions(def: DomainCheckpointDef, host: BlockHost): TransactionAction[] {
  return coveredBitmaps(def).map((b) => addBitmapAction(nodeOf(host.nodes, b.target), b.bitmap));
}

/** The transaction actions starting one disk's job. */
function backupActions(job: DiskJob, pull: boolean, bitmap: string | undefined): TransactionAction[] {
  const common = { 'job-id': job.jobId, device: job.node, target: job.storeNode, 'auto-dismiss': false };
  if (pull) {
    const exportBitmap: TransactionAction[] = job.exportBitmap
      ? [
          { type: 'block-dirty-bitmap-add', data: { node: job.node, name: job.exportBitmap, persistent: false, disabled: true } },
          { type: 'block-dirty-bitmap-merge', data: { node: job.node, target: job.exportBitmap, bitmaps: [bitmap] } },
        ]
      : [];
    return [...exportBitmap, { type: 'blockdev-backup', data: { ...common, sync: 'none' } }];
  }
  const sync = bitmap ? { sync: 'bitmap', bitmap, 'bitmap-mode': 'never' } : { sync: 'full' };
  return [{ type: 'blockdev-backup', data: { ...common, ...sync } }];
}

/** `blockdev-add` arguments of a store image; a pull scratch image is backed by the disk. */
function storeNode(job: DiskJob, backing: string | undefined): Record<string, unknown> {
  const file = {
    driver: job.store.type === 'block' ? 'host_device' : 'file',
    filename: job.store.path,
    'node-name': `${job.storeNode}-storage`,
  };
  const args: Record<string, unknown> = { driver: job.store.format, 'node-name': job.storeNode, file };
  if (backing && job.store.format === 'qcow2') args.backing = backing;
  return args;
}

/** Node → virtual size in bytes. */
async function virtualSizes(host: BlockHost): Promise<Map<string, number>> {
  const nodes = await host.qmp.execute<Array<{ 'node-name': string; image: { 'virtual-size': number } }>>('query-named-block-nodes', {
    flat: true,
  });
  return new Map(nodes.map((n) => [n['node-name'], n.image['virtual-size']]));
}

/** Pull mode: default to TCP on localhost, and pick a free port from libvirt's NBD range. */
async function settleServer(def: DomainBackupDef): Promise<void> {
  def.server ??= { transport: 'tcp', name: 'localhost' };
  if (def.server.transport === 'unix' || def.server.port) return;
  for (let port = NBD_PORTS[0]; port <= NBD_PORTS[1]; port++) {
    if (await portFree(def.server.name!, port)) {
      def.server.port = port;
      return;
    }
  }
  throw VirError.internal('Unable to find an unused port in range nbd (10809-10909)', QEMU);
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Statistics as libvirt reports them for a backup job (running or finished). */
function statsOf(job: BackupJob): JobStats {
  const end = job.endedAt ?? Date.now();
  const params: TypedParams = {
    operation: DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_BACKUP,
    time_elapsed: end - job.startedAt,
  };
  const total = job.disks.reduce((s, d) => s + d.end, 0);
  const done = job.disks.reduce((s, d) => s + d.cur, 0);
  if (job.pull) {
    params.disk_temp_used = done;
    params.disk_temp_total = total;
  } else {
    params.disk_total = total;
    params.disk_processed = done;
    params.disk_remaining = total - done;
  }
  if (job.outcome) params.success = job.outcome === 'completed';
  if (job.error) params.errmsg = job.error;
  const type =
    job.outcome === 'completed'
      ? DomainJobType.VIR_DOMAIN_JOB_COMPLETED
      : job.outcome === 'failed'
        ? DomainJobType.VIR_DOMAIN_JOB_FAILED
        : job.outcome === 'cancelled'
          ? DomainJobType.VIR_DOMAIN_JOB_CANCELLED
          : DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED;
  return { type, params };
}
