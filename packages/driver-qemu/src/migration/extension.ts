/**
 * Migration SPI methods of the QEMU driver: the protocol 3 steps with typed parameters, the
 * peer-to-peer move (perform with a dconnuri: this driver opens the destination and runs the
 * steps itself, qemuMigrationSrcPerformPeer2Peer3), the tuning calls, and job statistics and
 * abort for a running migration (other jobs fall through to the backup module's answers).
 */
import {
  DomainGetJobStatsFlags as StatsFlags,
  DomainJobOperation,
  DomainMigrateFlags as F,
  DomainMigrateMaxSpeedFlags,
  DomainState,
  ErrorNumber,
  MigrateParam as P,
  VirError,
  migrateParams,
  open,
  wideToNumber,
  type DomainRef,
  type DriverConnection,
  type JobInfo,
  type JobStats,
  type TypedParams,
  type Wide,
  VirStream,
} from '@virtkit/core';
import { backupMethods } from '../backup/extension';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { checkFlags, FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import type { QemuDriver } from '../qemu-driver';
import { finish, prepare } from './dest';
import { begin, confirm, perform } from './source';
import { migrationControl } from './control';
import { BANDWIDTH_MAX, letGo, migrationStateOf } from './state';

/** The flags this driver accepts on the protocol steps (libvirt's QEMU_MIGRATION_FLAGS). */
const FLAGS =
  F.VIR_MIGRATE_LIVE |
  F.VIR_MIGRATE_PEER2PEER |
  F.VIR_MIGRATE_PERSIST_DEST |
  F.VIR_MIGRATE_UNDEFINE_SOURCE |
  F.VIR_MIGRATE_PAUSED |
  F.VIR_MIGRATE_NON_SHARED_DISK |
  F.VIR_MIGRATE_NON_SHARED_INC |
  F.VIR_MIGRATE_CHANGE_PROTECTION |
  F.VIR_MIGRATE_UNSAFE |
  F.VIR_MIGRATE_OFFLINE |
  F.VIR_MIGRATE_COMPRESSED |
  F.VIR_MIGRATE_ABORT_ON_ERROR |
  F.VIR_MIGRATE_AUTO_CONVERGE |
  F.VIR_MIGRATE_POSTCOPY |
  F.VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES |
  F.VIR_MIGRATE_TUNNELLED |
  F.VIR_MIGRATE_PARALLEL;

/** The typed parameters equivalent to the arguments of the steps without them. */
function classicParams(a: { xml?: string | null; dname?: string | null; resource?: Wide; uri?: string | null }): TypedParams {
  const p: TypedParams = {};
  if (a.xml) p[P.VIR_MIGRATE_PARAM_DEST_XML] = a.xml;
  if (a.dname) p[P.VIR_MIGRATE_PARAM_DEST_NAME] = a.dname;
  if (a.uri) p[P.VIR_MIGRATE_PARAM_URI] = a.uri;
  if (a.resource && wideToNumber(a.resource) > 0) p[P.VIR_MIGRATE_PARAM_BANDWIDTH] = wideToNumber(a.resource);
  return migrateParams(p);
}

function uriParam(params: TypedParams): string | undefined {
  const v = params[P.VIR_MIGRATE_PARAM_URI];
  return typeof v === 'string' ? v : undefined;
}

/** virDomainGetJobInfo's fixed record from the typed statistics (virDomainJobInfo). */
function jobInfoOf(stats: JobStats): JobInfo {
  const n = (k: string) => Number(stats.params[k] ?? 0);
  return {
    type: stats.type,
    timeElapsed: n('time_elapsed'),
    timeRemaining: n('time_remaining'),
    dataTotal: n('data_total'),
    dataProcessed: n('data_processed'),
    dataRemaining: n('data_remaining'),
    memTotal: n('memory_total'),
    memProcessed: n('memory_processed'),
    memRemaining: n('memory_remaining'),
    fileTotal: n('disk_total'),
    fileProcessed: n('disk_processed'),
    fileRemaining: n('disk_remaining'),
  };
}

/** A migration of this domain is moving memory now. */
function running(obj: QemuDomainObj): boolean {
  const job = migrationStateOf(obj).job;
  return job !== undefined && job.outcome === undefined;
}

/**
 * Peer-to-peer (qemuMigrationSrcPerformPeer2Peer3): begin here, prepare and finish on the
 * destination this driver connects to, perform and confirm here, as the library does for a
 * managed migration.
 */
async function peer2peer(
  driver: QemuDriver,
  obj: QemuDomainObj,
  dconnuri: string,
  params: TypedParams,
  flags: number,
): Promise<Uint8Array> {
  const dconn = await open(dconnuri);
  try {
    const begun = await begin(driver, obj, params, flags);
    if (obj.state.state === DomainState.VIR_DOMAIN_PAUSED) flags |= F.VIR_MIGRATE_PAUSED;
    const destFlags = flags & ~(F.VIR_MIGRATE_ABORT_ON_ERROR | F.VIR_MIGRATE_AUTO_CONVERGE | F.VIR_MIGRATE_PEER2PEER);
    let p = migrateParams({ ...params, [P.VIR_MIGRATE_PARAM_DEST_XML]: begun.xml });
    // Tunnelled: the data goes through the destination connection's stream. Its call answers at
    // once but resolves only when the stream has ended, so perform runs meanwhile.
    const tunnel = flags & F.VIR_MIGRATE_TUNNELLED ? new VirStream() : undefined;
    const tunnelDone = tunnel ? dconn.migratePrepareTunnel3Params(tunnel, p, begun.cookieOut, destFlags) : undefined;
    tunnelDone?.catch(() => undefined);
    const prepared = tunnelDone
      ? { cookieOut: new Uint8Array(0), uriOut: null }
      : await dconn.migratePrepare3Params(p, begun.cookieOut, destFlags);
    if (prepared.uriOut) p = migrateParams({ ...p, [P.VIR_MIGRATE_PARAM_URI]: prepared.uriOut });
    if (p[P.VIR_MIGRATE_PARAM_DEST_NAME] === undefined) p = migrateParams({ ...p, [P.VIR_MIGRATE_PARAM_DEST_NAME]: obj.name });
    let cookie: Uint8Array = new Uint8Array(0);
    let failure: unknown;
    if (!(flags & F.VIR_MIGRATE_OFFLINE)) {
      try {
        cookie = await perform(driver, obj, uriParam(p) ?? '', p, prepared.cookieOut, flags, tunnel);
        if (tunnelDone) await tunnelDone;
      } catch (e) {
        failure = e;
      }
    }
    let finished: { cookieOut: Uint8Array } | undefined;
    try {
      finished = await dconn.migrateFinish3Params(p, cookie, failure ? 1 : 0, destFlags);
    } catch (e) {
      failure ??= e;
    }
    if (failure !== undefined && (flags & F.VIR_MIGRATE_OFFLINE || finished === undefined)) {
      await confirm(driver, obj, new Uint8Array(0), flags, 1);
      throw failure;
    }
    await confirm(driver, obj, finished!.cookieOut, flags, 0);
    return new Uint8Array(0);
  } finally {
    await dconn.close().catch(() => undefined);
  }
}

/**
 * An incoming QEMU that dies before finish (killed, crashed) takes its migration with it: the
 * ports go back and the disks prepare created for a storage copy are removed.
 */
export const migrationHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    stopped: (obj) => {
      const st = migrationStateOf(obj);
      const incoming = st.incoming;
      if (!incoming) return;
      st.incoming = undefined;
      letGo(obj);
      incoming.job.end('failed', 'domain is not running');
      incoming.releasePort();
      incoming.nbd?.releasePort();
      void incoming.nbd?.removeCreated();
    },
  });
};

type MigrationMethods = Pick<
  Required<DriverConnection>,
  | 'domainMigrateBegin3Params'
  | 'domainMigratePrepare3Params'
  | 'domainMigratePrepareTunnel3Params'
  | 'domainMigratePerform3Params'
  | 'domainMigrateFinish3Params'
  | 'domainMigrateConfirm3Params'
  | 'domainMigrateSetMaxDowntime'
  | 'domainMigrateGetMaxDowntime'
  | 'domainMigrateSetMaxSpeed'
  | 'domainMigrateGetMaxSpeed'
  | 'domainMigrateGetCompressionCache'
  | 'domainMigrateSetCompressionCache'
  | 'domainMigrateBegin3'
  | 'domainMigratePrepare3'
  | 'domainMigratePerform3'
  | 'domainMigrateFinish3'
  | 'domainMigrateConfirm3'
  | 'domainGetJobStats'
  | 'domainGetJobInfo'
  | 'domainAbortJob'
  | 'domainAbortJobFlags'
  | 'domainMigrateStartPostCopy'
>;

export const migrationMethods: QemuConnectionExtension = (driver, scope): MigrationMethods => {
  const control = migrationControl(driver, scope);
  const others = backupMethods(driver, scope) as Pick<MigrationMethods, 'domainGetJobStats' | 'domainAbortJob' | 'domainAbortJobFlags'>;
  const objOf = (dom: DomainRef) => driver.domains.get(dom);
  const abort = async (dom: DomainRef): Promise<boolean> => {
    const obj = objOf(dom);
    if (!running(obj)) return false;
    const st = migrationStateOf(obj);
    st.job!.aborted = true;
    if (obj.active) await obj.monitor().execute('migrate_cancel');
    return true;
  };
  const jobStats = async (dom: DomainRef, flags: number): Promise<JobStats> => {
    const obj = objOf(dom);
    const st = migrationStateOf(obj);
    if (flags & StatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED && st.completed) {
      const done = st.completed;
      if (!(flags & StatsFlags.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED)) st.completed = undefined;
      return done;
    }
    if (!(flags & StatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED) && st.job && !st.job.outcome) {
      if (obj.active) await st.job.refresh(obj.monitor()).catch(() => undefined);
      return st.job.stats();
    }
    return others.domainGetJobStats(dom, flags);
  };
  const tune = async (dom: DomainRef, args: Record<string, unknown>): Promise<void> => {
    const obj = objOf(dom);
    if (obj.active) await obj.monitor().execute('migrate-set-parameters', args);
  };
  const steps = {
    domainMigrateBegin3Params: async (dom, params, flags) => {
      checkFlags(flags, FLAGS, 'qemuDomainMigrateBegin3Params');
      const obj = objOf(dom);
      const begun = await begin(driver, obj, params, flags);
      // With change protection the move is this connection's until confirm.
      if (flags & F.VIR_MIGRATE_CHANGE_PROTECTION) control.holdOutgoing(obj);
      return begun;
    },
    domainMigratePrepareTunnel3Params: async (st, params, cookieIn, flags) => {
      checkFlags(flags, FLAGS, 'qemuDomainMigratePrepareTunnel3Params');
      const prepared = await prepare(driver, params, cookieIn, flags, st);
      if (prepared.obj) control.hold(prepared.obj);
      return prepared.cookieOut;
    },
    domainMigratePrepare3Params: async (params, cookieIn, flags) => {
      checkFlags(flags, FLAGS, 'qemuDomainMigratePrepare3Params');
      const { obj, ...prepared } = await prepare(driver, params, cookieIn, flags);
      // The incoming domain lives only as long as this connection, until finish.
      if (obj) control.hold(obj);
      return prepared;
    },
    domainMigratePerform3Params: async (dom, dconnuri, params, cookieIn, flags) => {
      checkFlags(flags, FLAGS, 'qemuDomainMigratePerform3Params');
      const obj = objOf(dom);
      if (flags & F.VIR_MIGRATE_PEER2PEER) {
        if (!dconnuri) throw VirError.invalidArg('dconnuri must not be NULL', FROM_QEMU);
        return driver.withJob(obj, 'migration-op', 'virDomainMigratePerform3Params', () => peer2peer(driver, obj, dconnuri, params, flags));
      }
      const uri = uriParam(params);
      if (!uri) throw VirError.invalidArg('migration URI is required', FROM_QEMU);
      return driver.withJob(obj, 'migration-op', 'virDomainMigratePerform3Params', () =>
        perform(driver, obj, uri, params, cookieIn, flags),
      );
    },
    domainMigrateFinish3Params: (params, cookieIn, cancelled, flags) => {
      checkFlags(flags, FLAGS, 'qemuDomainMigrateFinish3Params');
      return finish(driver, params, cookieIn, flags, cancelled);
    },
    domainMigrateConfirm3Params: (dom, _params, cookieIn, cancelled, flags) => {
      checkFlags(flags, FLAGS, 'qemuDomainMigrateConfirm3Params');
      const obj = objOf(dom);
      return driver.withJob(obj, 'migration-op', 'virDomainMigrateConfirm3Params', () => confirm(driver, obj, cookieIn, flags, cancelled));
    },
  } satisfies Partial<MigrationMethods>;
  return {
    ...steps,
    // The steps without typed parameters (what virDomainMigrate and older clients send) are the same steps.
    domainMigrateBegin3: (dom, xmlin, dname, resource, flags) =>
      steps.domainMigrateBegin3Params(dom, classicParams({ xml: xmlin, dname, resource }), Number(flags)),
    domainMigratePrepare3: (cookieIn, uriIn, dname, resource, domXml, flags) =>
      steps.domainMigratePrepare3Params(classicParams({ xml: domXml, dname, resource, uri: uriIn }), cookieIn, Number(flags)),
    domainMigratePerform3: (dom, xmlin, cookieIn, dconnuri, uri, dname, resource, flags) =>
      steps.domainMigratePerform3Params(dom, dconnuri, classicParams({ xml: xmlin, dname, resource, uri }), cookieIn, Number(flags)),
    domainMigrateFinish3: (dname, cookieIn, _dconnuri, uri, cancelled, flags) =>
      steps.domainMigrateFinish3Params(classicParams({ dname, uri }), cookieIn, cancelled, Number(flags)),
    domainMigrateConfirm3: (dom, cookieIn, cancelled, flags) =>
      steps.domainMigrateConfirm3Params(dom, {}, cookieIn, cancelled, Number(flags)),
    domainMigrateSetMaxDowntime: async (dom, downtime, flags) => {
      checkFlags(flags, 0, 'qemuDomainMigrateSetMaxDowntime');
      const ms = wideToNumber(downtime);
      await tune(dom, { 'downtime-limit': ms });
      migrationStateOf(objOf(dom)).maxDowntime = ms;
    },
    domainMigrateGetMaxDowntime: async (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainMigrateGetMaxDowntime');
      return migrationStateOf(objOf(dom)).maxDowntime;
    },
    domainMigrateSetMaxSpeed: async (dom, bandwidth, flags) => {
      checkFlags(flags, DomainMigrateMaxSpeedFlags.VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY, 'qemuDomainMigrateSetMaxSpeed');
      const mib = wideToNumber(bandwidth);
      if (mib > BANDWIDTH_MAX) {
        throw VirError.create(ErrorNumber.VIR_ERR_OVERFLOW, FROM_QEMU, `bandwidth must be less than ${BANDWIDTH_MAX + 1}`);
      }
      const st = migrationStateOf(objOf(dom));
      if (flags & DomainMigrateMaxSpeedFlags.VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY) {
        st.maxSpeedPostcopy = mib;
        return;
      }
      if (running(objOf(dom))) await tune(dom, { 'max-bandwidth': mib * 1024 * 1024 });
      st.maxSpeed = mib;
    },
    domainMigrateGetMaxSpeed: async (dom, flags) => {
      checkFlags(flags, DomainMigrateMaxSpeedFlags.VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY, 'qemuDomainMigrateGetMaxSpeed');
      const st = migrationStateOf(objOf(dom));
      return flags & DomainMigrateMaxSpeedFlags.VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY ? st.maxSpeedPostcopy : st.maxSpeed;
    },
    domainMigrateGetCompressionCache: async (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainMigrateGetCompressionCache');
      return migrationStateOf(objOf(dom)).compressionCache;
    },
    domainMigrateSetCompressionCache: async (dom, cacheSize, flags) => {
      checkFlags(flags, 0, 'qemuDomainMigrateSetCompressionCache');
      const bytes = wideToNumber(cacheSize);
      await tune(dom, { 'xbzrle-cache-size': bytes });
      migrationStateOf(objOf(dom)).compressionCache = bytes;
    },
    domainMigrateStartPostCopy: async (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainMigrateStartPostCopy');
      const obj = objOf(dom);
      if (!obj.active) throw notRunning();
      const job = migrationStateOf(obj).job;
      if (!running(obj) || job!.operation !== DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT) {
        throw VirError.operationInvalid('post-copy can only be started while outgoing migration is in progress', FROM_QEMU);
      }
      if (!job!.postcopyAllowed) {
        throw VirError.operationInvalid(
          'switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag',
          FROM_QEMU,
        );
      }
      await obj.monitor().execute('migrate-start-postcopy');
    },
    domainGetJobStats: jobStats,
    // virsh polls virDomainGetJobInfo while it waits for a migration (virshWatchProgress).
    domainGetJobInfo: async (dom) => jobInfoOf(await jobStats(dom, 0)),
    domainAbortJob: async (dom) => {
      if (!(await abort(dom))) await others.domainAbortJob(dom);
    },
    domainAbortJobFlags: async (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainAbortJobFlags');
      if (!(await abort(dom))) await others.domainAbortJobFlags(dom, flags);
    },
  };
};
