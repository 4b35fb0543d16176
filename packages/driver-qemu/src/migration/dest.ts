/**
 * The destination side of a migration (libvirt's qemuMigrationDst*): prepare starts QEMU with
 * `-incoming defer` and has it listen (`migrate-incoming tcp:ADDRESS:PORT`) on a port of the
 * migration range, answering with the URI the source sends to; finish waits until the memory
 * has arrived and lets the vCPUs run (or keeps them paused with VIR_MIGRATE_PAUSED), defines the
 * domain with PERSIST_DEST, and on a cancelled move stops QEMU so nothing of it is left. With a
 * storage copy, prepare first creates the missing disks and QEMU exports them over NBD (nbd.ts).
 */
import {
  DomainEventDefinedDetailType as Defined,
  DomainEventType as E,
  DomainJobOperation,
  DomainMigrateFlags as F,
  DomainRunningReason,
  DomainShutoffReason,
  ErrorNumber,
  MigrateParam as P,
  VirError,
  typedParamStrings,
  type DomainRef,
  type TypedParams,
  type VirStream,
} from '@virtkit/core';
import * as net from 'node:net';
import * as path from 'node:path';
import { formatDomainXml } from '@virtkit/xml';
import { saveConfig } from '../domains/config';
import { existingFor } from '../domains/define';
import { FROM_QEMU } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import { parseForQemu } from '../domains/parse';
import { startDomain } from '../domains/start';
import type { QemuDriver } from '../qemu-driver';
import { formatCookie, parseCookie } from './cookie';
import { acquirePort, hostUuid, migrationConfig } from './host';
import { MigrationJob } from './job';
import { parseDisksUri, startNbdServer, stopNbdServer, type NbdAddress } from './nbd';
import { migrationSettings, resetSettings, saveSettings } from './params';
import { precreateStorage } from './precreate';
import { baseCookie, STORAGE_COPY } from './source';
import { letGo, migrationStateOf, type IncomingMigration } from './state';

const POLL_MS = 50;

/** Host and port of a migration URI the caller gave (`tcp:host[:port]`, `tcp://host[:port]`). */
function givenUri(uri: string): { host: string; port?: number } {
  const m = /^tcp:(?:\/\/)?(\[[^\]]+\]|[^:/]+)?(?::(\d+))?\/?$/.exec(uri);
  if (!m) throw VirError.invalidArg(`unsupported or malformed migration URI '${uri}'`, FROM_QEMU);
  return { host: m[1] ?? '', port: m[2] ? Number(m[2]) : undefined };
}

function stringParam(params: TypedParams, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

/** Prepare (qemuMigrationDstPrepareDirect): the incoming QEMU, listening. */
export async function prepare(
  driver: QemuDriver,
  params: TypedParams,
  cookieIn: Uint8Array,
  flags: number,
  tunnel?: VirStream,
): Promise<{ cookieOut: Uint8Array; uriOut: string | null; obj?: QemuDomainObj }> {
  const xml = stringParam(params, P.VIR_MIGRATE_PARAM_DEST_XML);
  if (!xml) throw VirError.invalidArg('no domain XML passed', FROM_QEMU);
  const def = parseForQemu(xml, await driver.caps());
  const dname = stringParam(params, P.VIR_MIGRATE_PARAM_DEST_NAME);
  if (dname) def.name = dname;
  if (stringParam(params, P.VIR_MIGRATE_PARAM_DISKS_URI) && params[P.VIR_MIGRATE_PARAM_DISKS_PORT]) {
    throw VirError.invalidArg('Both port and URI requested for disk migration while being mutually exclusive', FROM_QEMU);
  }
  const only = typedParamStrings(params, P.VIR_MIGRATE_PARAM_MIGRATE_DISKS);
  const cookie = parseCookie(cookieIn, { uuid: def.uuid }, hostUuid(driver));
  if (flags & F.VIR_MIGRATE_OFFLINE) {
    if (!(flags & F.VIR_MIGRATE_PERSIST_DEST)) {
      throw VirError.operationInvalid('offline migration requires VIR_MIGRATE_PERSIST_DEST', FROM_QEMU);
    }
    return { cookieOut: formatCookie({ ...baseCookieFor(driver, def.name, def.uuid) }), uriOut: null };
  }
  const settings = migrationSettings(params, flags, 'destination');
  const existing = existingFor(driver, def, true);
  const obj = existing ?? driver.adopt(def.name, def.uuid, undefined);
  const cfg = migrationConfig(driver);
  const given = stringParam(params, P.VIR_MIGRATE_PARAM_URI);
  const requested = given ? givenUri(given) : undefined;
  const listen = stringParam(params, P.VIR_MIGRATE_PARAM_LISTEN_ADDRESS) ?? cfg.address;
  // A tunnelled move arrives on the stream: QEMU listens on a socket of its own that the stream feeds.
  const tunnelSocket = tunnel ? path.join(driver.paths.stateDir, `${def.name}.migrate`) : undefined;
  const port = requested?.port !== undefined || tunnel ? { port: requested?.port ?? 0, release: () => undefined } : await acquirePort(cfg);
  const st = migrationStateOf(obj);
  const job = new MigrationJob(DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN);
  // A storage copy: the disks exist before QEMU opens them, and QEMU serves them over NBD.
  const copy = flags & STORAGE_COPY && cookie?.nbd ? cookie.nbd : undefined;
  let nbd: IncomingMigration['nbd'];
  try {
    await driver.withJob(obj, 'modify', 'virDomainMigratePrepare3Params', async () => {
      let nbdAddr: NbdAddress | undefined;
      if (copy) {
        const removeCreated = await precreateStorage(driver, def, copy, (flags & F.VIR_MIGRATE_NON_SHARED_INC) !== 0, only);
        nbd = { releasePort: () => undefined, removeCreated };
        const server = await nbdServerAddress(cfg, listen, params);
        nbd.releasePort = server.release;
        nbdAddr = server.addr;
      }
      await startDomain(driver, obj, def, true, {
        argv: ['-incoming', 'defer'],
        load: async (mon) => {
          if (copy && nbdAddr) {
            await startNbdServer(mon, obj.def, nbdAddr, only);
            copy.port = 'port' in nbdAddr ? nbdAddr.port : undefined;
          }
          st.savedSettings = await saveSettings(mon);
          await mon.execute('migrate-set-capabilities', { capabilities: settings.capabilities });
          if (Object.keys(settings.parameters).length) await mon.execute('migrate-set-parameters', settings.parameters);
          const uri = tunnelSocket ? `unix:${tunnelSocket}` : `tcp:${listen.includes(':') ? `[${listen}]` : listen}:${port.port}`;
          await mon.execute('migrate-incoming', { uri });
        },
      });
    });
  } catch (e) {
    port.release();
    nbd?.releasePort();
    if (obj.active) await obj.runtime.stop('force', DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FAILED).catch(() => undefined);
    await nbd?.removeCreated();
    if (!existing && !obj.active) driver.drop(obj);
    throw e;
  }
  st.job = job;
  st.incoming = { job, cookie, releasePort: port.release, existed: existing !== undefined, nbd };
  if (tunnel && tunnelSocket) feedTunnel(tunnel, tunnelSocket);
  const host = requested?.host || cfg.host;
  const out = baseCookie(driver, obj);
  if (copy) out.nbd = { port: copy.port, disks: [] };
  return {
    cookieOut: formatCookie(out),
    uriOut: tunnel ? null : `tcp:${host.includes(':') ? `[${host}]` : host}:${port.port}`,
    obj,
  };
}

/**
 * Where the incoming NBD server listens (qemuMigrationDstStartNBDServer): the disks_uri's socket
 * or host and port, else the listen address on disks_port or on a port of the migration range.
 */
async function nbdServerAddress(
  cfg: ReturnType<typeof migrationConfig>,
  listen: string,
  params: TypedParams,
): Promise<{ addr: NbdAddress; release: () => void }> {
  const uri = stringParam(params, P.VIR_MIGRATE_PARAM_DISKS_URI);
  const given = uri ? parseDisksUri(uri) : undefined;
  if (given && 'socket' in given) return { addr: given, release: () => undefined };
  const port = given ? given.port : Number(params[P.VIR_MIGRATE_PARAM_DISKS_PORT] ?? 0);
  if (port !== undefined && (port < 0 || port > 65535)) throw VirError.invalidArg('nbd port must be in range 0-65535', FROM_QEMU);
  const host = given?.host ?? listen;
  if (port) return { addr: { host, port }, release: () => undefined };
  const acquired = await acquirePort(cfg);
  return { addr: { host, port: acquired.port }, release: acquired.release };
}

/**
 * The tunnel's bytes into the incoming QEMU's socket (qemuMigrationDstPrepareTunnel's pipe). A
 * broken tunnel ends the socket: QEMU fails the incoming move, which finish reports.
 */
function feedTunnel(stream: VirStream, socketPath: string): void {
  const sock = net.connect(socketPath);
  sock.on('error', () => stream.upload.destroy());
  stream.upload.on('error', () => sock.destroy());
  stream.upload.pipe(sock);
}

function baseCookieFor(driver: QemuDriver, name: string, uuid: string) {
  return { name, uuid, hostname: migrationConfig(driver).host, hostuuid: hostUuid(driver), features: [] };
}

/**
 * Wait until the incoming memory has arrived (QEMU's incoming `query-migrate` says completed),
 * or in post-copy until the guest can run here (the rest arrives as it asks for pages).
 */
async function arrived(obj: QemuDomainObj, job: MigrationJob): Promise<void> {
  for (;;) {
    if (!obj.active) throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, FROM_QEMU, 'domain is not running');
    const info = await job.refresh(obj.monitor());
    if (info.status === 'completed' || info.status === 'postcopy-active') return;
    if (info.status === 'failed' || info.status === 'cancelled') {
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        FROM_QEMU,
        `migration in job: ${info['error-desc'] ?? 'unexpectedly failed'}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Stop what prepare started; a domain that was not defined here before goes entirely. */
export async function discard(
  driver: QemuDriver,
  obj: QemuDomainObj,
  reason: DomainShutoffReason = DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FAILED,
): Promise<void> {
  const st = migrationStateOf(obj);
  const incoming = st.incoming;
  st.incoming = undefined;
  letGo(obj);
  incoming?.releasePort();
  incoming?.nbd?.releasePort();
  if (obj.active) await obj.runtime.stop('force', reason).catch(() => undefined);
  await incoming?.nbd?.removeCreated();
  if (!obj.persistent && driver.domains.findByUuid(obj.uuid)) driver.drop(obj);
}

/** Finish (qemuMigrationDstFinish): run the arrived domain, or discard it when the move was cancelled. */
export async function finish(
  driver: QemuDriver,
  params: TypedParams,
  cookieIn: Uint8Array,
  flags: number,
  cancelled: number,
): Promise<{ dom: DomainRef; cookieOut: Uint8Array }> {
  if (flags & F.VIR_MIGRATE_OFFLINE) return finishOffline(driver, params);
  const name = stringParam(params, P.VIR_MIGRATE_PARAM_DEST_NAME);
  const obj = name ? driver.domains.findByName(name) : undefined;
  if (!obj) throw VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN, FROM_QEMU, `no domain with matching name '${name ?? ''}'`);
  const st = migrationStateOf(obj);
  const incoming = st.incoming;
  if (!incoming) throw VirError.operationInvalid('domain has no incoming migration', FROM_QEMU);
  return driver.withJob(obj, 'modify', 'virDomainMigrateFinish3Params', async () => {
    if (cancelled) {
      incoming.job.end('cancelled');
      await discard(driver, obj);
      throw VirError.create(ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK, FROM_QEMU, null);
    }
    try {
      const sent = parseCookie(cookieIn, { name: obj.name, uuid: obj.uuid }, hostUuid(driver));
      await arrived(obj, incoming.job);
      if (incoming.nbd) {
        await stopNbdServer(obj.monitor()).catch(() => undefined);
        incoming.nbd.releasePort();
      }
      incoming.job.end('completed');
      incoming.job.sourceStats = sent?.statistics;
      if (flags & F.VIR_MIGRATE_PERSIST_DEST) await persist(driver, obj, incoming.cookie?.persistent);
      // qemuMigrationDstComplete: the move's capabilities and parameters go before the guest runs.
      if (st.savedSettings) await resetSettings(obj.monitor(), st.savedSettings).catch(() => undefined);
      st.savedSettings = undefined;
      if (!(flags & F.VIR_MIGRATE_PAUSED)) await obj.runtime.resume(DomainRunningReason.VIR_DOMAIN_RUNNING_MIGRATED);
    } catch (e) {
      incoming.job.end('failed', e instanceof Error ? e.message : String(e));
      await discard(driver, obj);
      throw e;
    }
    st.completed = incoming.job.stats();
    st.job = undefined;
    incoming.releasePort();
    st.incoming = undefined;
    letGo(obj);
    return { dom: obj.ref(), cookieOut: formatCookie(baseCookie(driver, obj)) };
  });
}

/** PERSIST_DEST: the definition the cookie carried (else the live one) becomes persistent here. */
async function persist(driver: QemuDriver, obj: QemuDomainObj, persistentXml: string | undefined): Promise<void> {
  const def = parseForQemu(persistentXml ?? formatDomainXml(obj.def, { inactive: true, secure: true }), await driver.caps());
  const added = !obj.persistent;
  await saveConfig(driver.paths, def);
  obj.persistentDef = def;
  driver.lifecycle(
    obj,
    E.VIR_DOMAIN_EVENT_DEFINED,
    added ? Defined.VIR_DOMAIN_EVENT_DEFINED_ADDED : Defined.VIR_DOMAIN_EVENT_DEFINED_UPDATED,
  );
}

/** An offline move: only the definition arrives (qemuMigrationDstFinishOffline). */
async function finishOffline(driver: QemuDriver, params: TypedParams): Promise<{ dom: DomainRef; cookieOut: Uint8Array }> {
  const xml = stringParam(params, P.VIR_MIGRATE_PARAM_PERSIST_XML) ?? stringParam(params, P.VIR_MIGRATE_PARAM_DEST_XML);
  if (!xml) throw VirError.invalidArg('no domain XML passed', FROM_QEMU);
  const def = parseForQemu(xml, await driver.caps());
  const existing = existingFor(driver, def, false);
  const obj = existing ?? driver.adopt(def.name, def.uuid, def);
  await saveConfig(driver.paths, def);
  obj.persistentDef = def;
  driver.lifecycle(
    obj,
    E.VIR_DOMAIN_EVENT_DEFINED,
    existing ? Defined.VIR_DOMAIN_EVENT_DEFINED_UPDATED : Defined.VIR_DOMAIN_EVENT_DEFINED_ADDED,
  );
  return { dom: obj.ref(), cookieOut: formatCookie(baseCookieFor(driver, def.name, def.uuid)) };
}
