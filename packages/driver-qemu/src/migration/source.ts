/**
 * The source side of a migration (libvirt's qemuMigrationSrc*): begin hands out the definition
 * and a cookie; perform sets QEMU's migration capabilities and parameters, runs `migrate` to the
 * destination's URI and follows `query-migrate` (progress for GetJobStats, MIGRATION_ITERATION
 * events) until the memory has moved; confirm then stops the source, or lets it run on when the
 * move failed. A failure anywhere leaves the source running as it was.
 */
import {
  DomainEventID,
  DomainEventType as E,
  DomainEventUndefinedDetailType as Undefined,
  DomainJobOperation,
  DomainMigrateFlags as F,
  DomainPausedReason,
  DomainShutoffReason,
  DomainState,
  ErrorNumber,
  MigrateParam as P,
  VirError,
  typedParamStrings,
  type TypedParams,
  type VirStream,
} from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteConfig } from '../domains/config';
import { FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import type { QmpClient } from '../qmp/client';
import type { QemuDriver } from '../qemu-driver';
import { formatCookie, parseCookie, type MigrationCookie } from './cookie';
import { hostUuid } from './host';
import { MigrationJob } from './job';
import { cookieDisks, parseDisksUri, StorageCopy, type NbdAddress } from './nbd';
import { migrationSettings, resetSettings, saveSettings } from './params';
import { BANDWIDTH_MAX, letGo, migrationStateOf } from './state';

const POLL_MS = 50;

/** The cookie this host writes about `obj`. */
export function baseCookie(driver: QemuDriver, obj: QemuDomainObj): MigrationCookie {
  return { name: obj.name, uuid: obj.uuid, hostname: os.hostname(), hostuuid: hostUuid(driver), features: [] };
}

/** The graphics listener of a running domain, for the cookie (qemuMigrationCookieAddGraphics). */
function graphicsOf(obj: QemuDomainObj): MigrationCookie['graphics'] {
  const g = obj.def.devices.find((d) => d.kind === 'graphics' && ['vnc', 'spice'].includes(d.el.attr('type') ?? ''));
  const port = Number(g?.el.attr('port') ?? -1);
  if (!g || port <= 0) return undefined;
  const listen = g.el.attr('listen') ?? g.el.element('listen')?.attr('address') ?? '0.0.0.0';
  return { type: g.el.attr('type')!, port, listen };
}

/** VIR_MIGRATE_PARAM_MIGRATE_DISKS: the disk targets to copy (none: every eligible disk). */
function migratedDisks(params: TypedParams): string[] {
  return typedParamStrings(params, P.VIR_MIGRATE_PARAM_MIGRATE_DISKS);
}

/** The storage copy flags (NON_SHARED_DISK, NON_SHARED_INC). */
export const STORAGE_COPY = F.VIR_MIGRATE_NON_SHARED_DISK | F.VIR_MIGRATE_NON_SHARED_INC;

/** Begin (qemuMigrationSrcBegin): the XML for the destination and the first cookie. */
export async function begin(
  driver: QemuDriver,
  obj: QemuDomainObj,
  params: TypedParams,
  flags: number,
): Promise<{ cookieOut: Uint8Array; xml: string }> {
  const offline = (flags & F.VIR_MIGRATE_OFFLINE) !== 0;
  if (!offline && !obj.active) throw notRunning();
  if (offline && obj.active) throw VirError.operationInvalid('offline migration cannot be performed on active domain', FROM_QEMU);
  if (offline && !obj.persistent) throw VirError.operationInvalid('cannot migrate a transient domain offline', FROM_QEMU);
  const job = migrationStateOf(obj).job;
  if (job && !job.outcome) {
    throw VirError.operationInvalid(`another migration job is already running for domain '${obj.name}'`, FROM_QEMU);
  }
  if (flags & F.VIR_MIGRATE_TUNNELLED && flags & STORAGE_COPY) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
      FROM_QEMU,
      'migration of non-shared storage is not supported by this driver with tunnelled migration',
    );
  }
  const cookie = baseCookie(driver, obj);
  if (flags & F.VIR_MIGRATE_PERSIST_DEST && obj.persistentDef) {
    cookie.persistent = formatDomainXml(obj.persistentDef, { inactive: true, secure: true, migratable: true });
  }
  if (!offline) cookie.graphics = graphicsOf(obj);
  // The destination learns which disks to create and export, and their sizes.
  if (!offline && flags & STORAGE_COPY) {
    const only = migratedDisks(params);
    const unknown = only.find((t) => !obj.def.devices.some((d) => d.disk?.targetDev === t));
    if (unknown !== undefined) throw VirError.invalidArg(`disk target ${unknown} not found`, FROM_QEMU);
    cookie.nbd = { disks: await cookieDisks(obj.monitor(), obj.def, only) };
  }
  const given = params[P.VIR_MIGRATE_PARAM_DEST_XML];
  const xml =
    typeof given === 'string'
      ? given
      : formatDomainXml(offline ? obj.persistentDef! : obj.def, { inactive: offline, secure: true, migratable: true });
  return { cookieOut: formatCookie(cookie), xml };
}

/** The bandwidth of this move, MiB/s. */
function bandwidth(obj: QemuDomainObj, params: TypedParams): number {
  const bw = params[P.VIR_MIGRATE_PARAM_BANDWIDTH];
  return bw !== undefined && Number(bw) > 0 ? Number(bw) : migrationStateOf(obj).maxSpeed;
}

/** The post-copy bandwidth of this move, MiB/s (0: unlimited). */
function postcopyBandwidth(obj: QemuDomainObj, params: TypedParams): number {
  const bw = params[P.VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY];
  return bw !== undefined ? Number(bw) : migrationStateOf(obj).maxSpeedPostcopy;
}

/** The `migrate-set-parameters` arguments of this move: the domain's tuning, then what the call gave. */
function parameters(obj: QemuDomainObj, params: TypedParams, given: Record<string, number>): Record<string, unknown> {
  const st = migrationStateOf(obj);
  return {
    'max-bandwidth': bandwidth(obj, params) * 1024 * 1024,
    // 0: post-copy runs at full speed (libvirt's default).
    'max-postcopy-bandwidth': postcopyBandwidth(obj, params) * 1024 * 1024,
    'downtime-limit': st.maxDowntime,
    'xbzrle-cache-size': st.compressionCache,
    ...given,
  };
}

/** Host and port of a migration URI as libvirt accepts it (`tcp:host:port`, `tcp://host:port`). */
function uriParts(uri: string): { host: string; port: string } {
  const m = /^tcp:(?:\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(uri);
  if (!m || !m[2]) throw VirError.invalidArg(`unsupported or malformed migration URI '${uri}'`, FROM_QEMU);
  return { host: m[1]!, port: m[2] };
}

/**
 * Follow QEMU's progress until the memory has moved, or (`untilPostcopy`) until it switched to
 * post-copy, when the destination runs the guest and fetches the rest; events and statistics on
 * the way. `switchover` runs when QEMU paused before sending the device state
 * (pause-before-switchover).
 */
async function follow(
  driver: QemuDriver,
  obj: QemuDomainObj,
  qmp: QmpClient,
  job: MigrationJob,
  switchover?: () => Promise<void>,
  untilPostcopy = false,
): Promise<void> {
  let switched = false;
  for (;;) {
    const info = await job.refresh(qmp);
    const iteration = info.ram?.['dirty-sync-count'] ?? 0;
    if (iteration > job.lastIteration) {
      job.lastIteration = iteration;
      driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, obj.ref(), { iteration });
    }
    if (info.status === 'completed' || (untilPostcopy && info.status === 'postcopy-active')) return;
    if (info.status === 'pre-switchover' && switchover && !switched) {
      switched = true;
      await switchover();
      await qmp.execute('migrate-continue', { state: 'pre-switchover' });
      continue;
    }
    if (info.status === 'failed' || info.status === 'cancelled') {
      if (job.aborted || info.status === 'cancelled') throw abortedByClient();
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        FROM_QEMU,
        `migration out job: ${info['error-desc'] ? info['error-desc'] : 'unexpectedly failed'}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The job's figures for the cookie's `<statistics>` (the destination reports them as its own). */
function numericStats(job: MigrationJob): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(job.stats().params)) if (typeof v === 'number' && k !== 'operation') out[k] = v;
  return out;
}

/** The source resumes as it was when a move fails (qemuMigrationSrcRestoreDomainState). */
async function restore(obj: QemuDomainObj): Promise<void> {
  const st = migrationStateOf(obj);
  const saved = st.savedSettings;
  st.savedSettings = undefined;
  if (obj.active && saved) await resetSettings(obj.monitor(), saved).catch(() => undefined);
  if (obj.active && st.wasRunning && obj.state.state === DomainState.VIR_DOMAIN_PAUSED) {
    await obj.runtime.resume().catch(() => undefined);
  }
}

function abortedByClient(): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_ABORTED, FROM_QEMU, 'migration out job: canceled by client');
}

/**
 * The destination's NBD server (qemuMigrationSrcNBDStorageCopy): the disks_uri's socket, or its
 * host and port where it names them, else the migration host and the port the cookie gave.
 */
function nbdServer(cookiePort: number | undefined, host: string, params: TypedParams): NbdAddress {
  const uri = params[P.VIR_MIGRATE_PARAM_DISKS_URI];
  const given = typeof uri === 'string' ? parseDisksUri(uri) : undefined;
  if (given && 'socket' in given) return given;
  const port = given?.port ?? cookiePort;
  if (!port) throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, 'Destination does not support NBD');
  return { host: (given?.host || host).replace(/^\[|\]$/g, ''), port };
}

/**
 * The storage copy before the memory moves (qemuMigrationSrcNBDStorageCopy): mirror every copied
 * disk into the destination's NBD exports and wait until all are ready.
 */
async function startStorageCopy(
  obj: QemuDomainObj,
  destCookie: MigrationCookie | null,
  host: string,
  params: TypedParams,
  flags: number,
  job: MigrationJob,
): Promise<StorageCopy> {
  if (!destCookie?.nbd) throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, 'Destination does not support NBD');
  const mib = bandwidth(obj, params);
  const copy = await StorageCopy.start(obj.monitor(), obj.def, nbdServer(destCookie.nbd.port, host, params), {
    shallow: (flags & F.VIR_MIGRATE_NON_SHARED_INC) !== 0,
    syncWrites: (flags & F.VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES) !== 0,
    bytesPerSec: mib >= BANDWIDTH_MAX ? 0 : mib * 1024 * 1024,
    only: migratedDisks(params),
  });
  try {
    await copy.waitReady((progress) => {
      job.mirror = progress;
      if (job.aborted) throw abortedByClient();
    });
  } catch (e) {
    await copy.abort();
    throw e;
  }
  return copy;
}

/**
 * A socket the source QEMU sends a tunnelled move to; its bytes go into the stream to the
 * destination (qemuMigrationSrcPerformTunnel's pipe), which ends when QEMU closes it.
 */
async function tunnelInto(stream: VirStream): Promise<{ uri: string; close: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-tunnel-'));
  const socketPath = path.join(dir, 'sock');
  const server = net.createServer((c) => {
    server.close();
    c.on('error', (e) => stream.upload.destroy(e));
    c.pipe(stream.upload);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    uri: `unix:${socketPath}`,
    close: () => {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Perform (qemuMigrationSrcPerformNative): move the memory to `uri`, or into the `tunnel` stream
 * (qemuMigrationSrcPerformTunnel). The source is left paused
 * once QEMU has switched over; confirm decides what becomes of it.
 */
export async function perform(
  driver: QemuDriver,
  obj: QemuDomainObj,
  uri: string,
  params: TypedParams,
  cookieIn: Uint8Array,
  flags: number,
  tunnel?: VirStream,
): Promise<Uint8Array> {
  if (!obj.active) throw notRunning();
  const destCookie = parseCookie(cookieIn, { uuid: obj.uuid }, hostUuid(driver));
  const st = migrationStateOf(obj);
  const job = new MigrationJob(DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT);
  job.postcopyAllowed = (flags & F.VIR_MIGRATE_POSTCOPY) !== 0;
  st.job = job;
  st.wasRunning = obj.state.state === DomainState.VIR_DOMAIN_RUNNING;
  const settings = migrationSettings(params, flags, 'source');
  const qmp = obj.monitor();
  let copy: StorageCopy | undefined;
  let tunnelled: { uri: string; close: () => void } | undefined;
  try {
    const target = tunnel ? undefined : uriParts(uri);
    if (flags & STORAGE_COPY && target) copy = await startStorageCopy(obj, destCookie, target.host, params, flags, job);
    // With a storage copy QEMU stops before sending the device state, so the mirrors end while the guest cannot write.
    const capabilities = [...settings.capabilities, { capability: 'pause-before-switchover', state: copy !== undefined }];
    st.savedSettings = await saveSettings(qmp);
    await qmp.execute('migrate-set-capabilities', { capabilities });
    await qmp.execute('migrate-set-parameters', parameters(obj, params, settings.parameters));
    if (!(flags & F.VIR_MIGRATE_LIVE) && st.wasRunning) await obj.runtime.suspend(DomainPausedReason.VIR_DOMAIN_PAUSED_MIGRATION);
    if (tunnel) tunnelled = await tunnelInto(tunnel);
    await qmp.execute('migrate', { uri: tunnelled ? tunnelled.uri : `tcp:${target!.host}:${target!.port}` });
    const mirrors = copy;
    await follow(
      driver,
      obj,
      qmp,
      job,
      mirrors &&
        (async () => {
          job.mirror = await mirrors.progress();
          await mirrors.complete();
        }),
      job.postcopyAllowed,
    );
    // In post-copy the memory still flows: confirm waits for the end.
    if (job.info.status === 'completed') job.end('completed');
  } catch (e) {
    if (!job.outcome) {
      await qmp.execute('migrate_cancel').catch(() => undefined);
      job.end(job.aborted ? 'cancelled' : 'failed', e instanceof Error ? e.message : String(e));
    }
    await copy?.abort();
    tunnel?.abort(e instanceof Error ? e : new Error(String(e)));
    st.completed = job.stats();
    await restore(obj);
    throw e;
  } finally {
    tunnelled?.close();
  }
  const cookie = baseCookie(driver, obj);
  cookie.statistics = { started: job.startedAt, stopped: job.endedAt ?? Date.now(), sent: Date.now(), ...numericStats(job) };
  // libvirt's destination stops its NBD server at finish only when this cookie names the copy.
  if (copy) cookie.nbd = { disks: await cookieDisks(qmp, obj.def, migratedDisks(params)).catch(() => []) };
  return formatCookie(cookie);
}

/**
 * Confirm (qemuMigrationSrcConfirm): after a move that worked the source stops (reason
 * migrated) and, with UNDEFINE_SOURCE, loses its definition; after one that failed it runs on.
 */
export async function confirm(
  driver: QemuDriver,
  obj: QemuDomainObj,
  cookieIn: Uint8Array,
  flags: number,
  cancelled: number,
): Promise<void> {
  const st = migrationStateOf(obj);
  const job = st.job;
  letGo(obj);
  if (cancelled) {
    if (job && !job.outcome) job.end('failed');
    if (job) st.completed = job.stats();
    await restore(obj);
    return;
  }
  parseCookie(cookieIn, { uuid: obj.uuid }, hostUuid(driver));
  if (flags & F.VIR_MIGRATE_OFFLINE) {
    if (flags & F.VIR_MIGRATE_UNDEFINE_SOURCE) await undefineSource(driver, obj);
    return;
  }
  if (job && !job.outcome && obj.active) {
    await follow(driver, obj, obj.monitor(), job);
    job.end('completed');
  }
  if (job) st.completed = job.stats();
  st.job = undefined;
  st.savedSettings = undefined;
  if (obj.active) await obj.runtime.stop('force', DomainShutoffReason.VIR_DOMAIN_SHUTOFF_MIGRATED);
  if (job) driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, obj.ref(), { params: st.completed?.params ?? {} });
  if (flags & F.VIR_MIGRATE_UNDEFINE_SOURCE && obj.persistent) await undefineSource(driver, obj);
}

async function undefineSource(driver: QemuDriver, obj: QemuDomainObj): Promise<void> {
  await deleteConfig(driver.paths, obj.name);
  driver.lifecycle(obj, E.VIR_DOMAIN_EVENT_UNDEFINED, Undefined.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
  obj.persistentDef = undefined;
  if (!obj.active) driver.drop(obj);
}
