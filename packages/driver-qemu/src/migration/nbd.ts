/**
 * Storage copy of a migration (VIR_MIGRATE_NON_SHARED_DISK / NON_SHARED_INC) as libvirt does it
 * with QEMU's NBD server: the destination's incoming QEMU exports each copied disk
 * (`nbd-server-start` + `block-export-add`, export name `drive-ALIAS`) on a port of the
 * migration range and names the port in the cookie; the source opens each export as a block
 * node (`migration-TARGET-storage`/`-format`) and mirrors the disk into it (`blockdev-mirror`,
 * job `drive-ALIAS`, sync `full`, or `top` for NON_SHARED_INC) until every mirror is ready, moves
 * the memory, and at the switch-over ends the mirrors with `block-job-cancel` (a ready mirror
 * ends complete, without pivoting) before QEMU sends the device state.
 */
import { ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { backupDisks, liveNodeNames, nodeOf, type BackupDisk } from '../backup/disks';
import { FROM_QEMU } from '../domains/errors';
import type { QmpClient } from '../qmp/client';
import type { CookieNbd } from './cookie';

const POLL_MS = 50;

/**
 * The disks a storage copy moves (qemuMigrationAnyCopyDisk): the targets VIR_MIGRATE_PARAM_MIGRATE_DISKS
 * lists (none of them read-only or empty), else every writable, not shared disk with a source.
 */
export function copiedDisks(def: DomainDef, only: readonly string[] = []): BackupDisk[] {
  if (only.length) {
    const listed = backupDisks(def).filter((d) => only.includes(d.target));
    const bad = listed.find((d) => d.readonly || d.path === undefined);
    if (bad) {
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, `Cannot migrate empty or read-only disk ${bad.target}`);
    }
    return listed;
  }
  const shared = new Set(def.devices.filter((d) => d.disk && d.el.element('shareable')).map((d) => d.disk!.targetDev));
  return backupDisks(def).filter((d) => !d.readonly && !shared.has(d.target) && d.path !== undefined);
}

/** The NBD export (and mirror job) name of a disk: libvirt's drive alias. */
export function driveAlias(disk: BackupDisk): string {
  if (!disk.alias) throw VirError.internal(`disk '${disk.target}' has no alias`, FROM_QEMU);
  return `drive-${disk.alias}`;
}

interface BlockImageInfo {
  qdev?: string;
  inserted?: { 'node-name': string; file: string; image: { 'virtual-size': number } };
}

/** Where the destination's NBD server listens: a TCP port, or a UNIX socket (VIR_MIGRATE_PARAM_DISKS_URI). */
export type NbdAddress = { host: string; port: number } | { socket: string };

/** QMP's SocketAddress for it (`nbd-server-start` takes the flat form inside `data`). */
function socketAddress(a: NbdAddress): { type: string; [k: string]: string } {
  return 'socket' in a ? { type: 'unix', path: a.socket } : { type: 'inet', host: a.host, port: String(a.port) };
}

/**
 * VIR_MIGRATE_PARAM_DISKS_URI (`tcp://host[:port]`, `unix:///path`) with libvirt's checks
 * (qemuMigrationDstStartNBDServer); a tcp URI without a port leaves it to the range.
 */
export function parseDisksUri(uri: string): { host: string; port?: number } | { socket: string } {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri)) throw VirError.invalidArg(`No URI scheme specified: ${uri}`, FROM_QEMU);
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw VirError.internal(`Unable to parse URI ${uri}`, FROM_QEMU);
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme === 'tcp') {
    if (!u.hostname) throw VirError.invalidArg(`URI with tcp scheme did not provide a server part: ${uri}`, FROM_QEMU);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : undefined };
  }
  if (scheme === 'unix') {
    if (!u.pathname) throw VirError.invalidArg('UNIX disks URI does not include path', FROM_QEMU);
    return { socket: decodeURIComponent(u.pathname) };
  }
  throw VirError.invalidArg(`Unsupported scheme in disks URI: ${scheme}`, FROM_QEMU);
}

/** The source's `<nbd>` cookie part: each copied disk with its capacity (qemuMigrationCookieAddNBD). */
export async function cookieDisks(qmp: QmpClient, def: DomainDef, only: readonly string[] = []): Promise<CookieNbd['disks']> {
  const disks = copiedDisks(def, only);
  const nodes = await liveNodeNames(qmp, disks);
  const blocks = await qmp.execute<BlockImageInfo[]>('query-block');
  return disks.map((d) => {
    const node = nodeOf(nodes, d.target);
    const b = blocks.find((x) => x.inserted?.['node-name'] === node);
    return { target: d.target, capacity: b?.inserted?.image['virtual-size'] ?? 0 };
  });
}

/**
 * The destination's NBD server (qemuMigrationDstStartNBDServer): listens at `addr` and exports
 * every copied disk writable under its drive alias.
 */
export async function startNbdServer(qmp: QmpClient, def: DomainDef, addr: NbdAddress, only: readonly string[]): Promise<void> {
  const disks = copiedDisks(def, only);
  const nodes = await liveNodeNames(qmp, disks);
  const { type, ...data } = socketAddress(addr);
  await qmp.execute('nbd-server-start', { addr: { type, data } });
  for (const d of disks) {
    const node = nodeOf(nodes, d.target);
    await qmp.execute('block-export-add', {
      type: 'nbd',
      id: `libvirt-nbd-${node}`,
      'node-name': node,
      name: driveAlias(d),
      writable: true,
    });
  }
}

/** Stop the destination's NBD server (its exports go with it). */
export async function stopNbdServer(qmp: QmpClient): Promise<void> {
  await qmp.execute('nbd-server-stop');
}

interface QemuJob {
  id: string;
  status: string;
  'current-progress': number;
  'total-progress': number;
  error?: string;
}

interface Mirror {
  target: string;
  job: string;
  storage: string;
  format: string;
}

/** The mirrors of one outgoing storage copy (the source side). */
export class StorageCopy {
  private constructor(
    private readonly qmp: QmpClient,
    private readonly mirrors: Mirror[],
  ) {}

  /**
   * Open the destination's exports and start one mirror per copied disk
   * (qemuMigrationSrcNBDStorageCopyBlockdev); a failure leaves nothing behind.
   */
  static async start(
    qmp: QmpClient,
    def: DomainDef,
    server: NbdAddress,
    opts: { shallow: boolean; bytesPerSec: number; syncWrites: boolean; only: readonly string[] },
  ): Promise<StorageCopy> {
    const disks = copiedDisks(def, opts.only);
    const nodes = await liveNodeNames(qmp, disks);
    const copy = new StorageCopy(qmp, []);
    try {
      for (const d of disks) {
        const m: Mirror = {
          target: d.target,
          job: driveAlias(d),
          storage: `migration-${d.target}-storage`,
          format: `migration-${d.target}-format`,
        };
        await qmp.execute('blockdev-add', {
          driver: 'nbd',
          'node-name': m.storage,
          server: socketAddress(server),
          export: m.job,
          'auto-read-only': true,
          discard: 'unmap',
        });
        copy.mirrors.push(m);
        await qmp.execute('blockdev-add', { driver: 'raw', 'node-name': m.format, 'read-only': false, file: m.storage });
        const args: Record<string, unknown> = {
          'job-id': m.job,
          device: nodeOf(nodes, d.target),
          target: m.format,
          sync: opts.shallow ? 'top' : 'full',
          'auto-finalize': true,
          'auto-dismiss': false,
        };
        if (opts.bytesPerSec > 0) args.speed = opts.bytesPerSec;
        // NON_SHARED_SYNCHRONOUS_WRITES: a guest write completes once it reached the destination too.
        if (opts.syncWrites) args['copy-mode'] = 'write-blocking';
        await qmp.execute('blockdev-mirror', args);
      }
    } catch (e) {
      await copy.abort();
      throw e;
    }
    return copy;
  }

  get empty(): boolean {
    return this.mirrors.length === 0;
  }

  private async jobs(): Promise<Map<string, QemuJob>> {
    const all = await this.qmp.execute<QemuJob[]>('query-jobs');
    return new Map(all.map((j) => [j.id, j]));
  }

  /** Bytes of all mirrors: total and copied so far (qemuMigrationSrcFetchMirrorStats). */
  async progress(): Promise<{ total: number; transferred: number }> {
    const jobs = await this.jobs();
    let total = 0;
    let transferred = 0;
    for (const m of this.mirrors) {
      const j = jobs.get(m.job);
      if (!j) continue;
      total += j['total-progress'];
      transferred += j['current-progress'];
    }
    return { total, transferred };
  }

  private failure(m: Mirror, j: QemuJob | undefined): VirError {
    const why = j?.error;
    return VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_FAILED,
      FROM_QEMU,
      why ? `migration of disk ${m.target} failed: ${why}` : `migration of disk ${m.target} failed`,
    );
  }

  /**
   * Wait until every mirror is ready (qemuMigrationSrcNBDStorageCopyReady); `check` runs on each
   * round and throws to give up (an abort, a lost destination).
   */
  async waitReady(check: (progress: { total: number; transferred: number }) => void): Promise<void> {
    for (;;) {
      const jobs = await this.jobs();
      let ready = 0;
      for (const m of this.mirrors) {
        const j = jobs.get(m.job);
        if (!j || j.status === 'concluded' || j.status === 'null' || j.status === 'aborting') throw this.failure(m, j);
        if (j.status === 'ready') ready++;
      }
      check(await this.progress());
      if (ready === this.mirrors.length) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** End the mirrors and wait for them to conclude; returns the error of the first failed one. */
  private async end(force: boolean): Promise<VirError | undefined> {
    let failed: VirError | undefined;
    const before = await this.jobs().catch(() => new Map<string, QemuJob>());
    for (const m of this.mirrors) {
      const j = before.get(m.job);
      if (!j || j.status === 'concluded') continue;
      await this.qmp.execute('block-job-cancel', { device: m.job, force }).catch(() => undefined);
    }
    for (const m of this.mirrors) {
      for (;;) {
        const j = (await this.jobs().catch(() => new Map<string, QemuJob>())).get(m.job);
        if (!j) break;
        if (j.status === 'concluded') {
          if (j.error) failed ??= this.failure(m, j);
          await this.qmp.execute('job-dismiss', { id: m.job }).catch(() => undefined);
          break;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
    return failed;
  }

  /** Close the NBD nodes of the destination's exports. */
  private async detach(): Promise<void> {
    for (const m of this.mirrors.splice(0)) {
      await this.qmp.execute('blockdev-del', { 'node-name': m.format }).catch(() => undefined);
      await this.qmp.execute('blockdev-del', { 'node-name': m.storage }).catch(() => undefined);
    }
  }

  /**
   * The memory has moved and the source is stopped: end each ready mirror (the destination now
   * holds the same data) and close the exports (qemuMigrationSrcNBDCopyCancel, not aborting).
   */
  async complete(): Promise<void> {
    const failed = await this.end(false);
    await this.detach();
    if (failed) throw failed;
  }

  /** The move failed: force-cancel the mirrors and close the exports; the source's disks stay as they are. */
  async abort(): Promise<void> {
    await this.end(true).catch(() => undefined);
    await this.detach();
  }
}
