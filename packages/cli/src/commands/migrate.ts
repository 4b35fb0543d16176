/**
 * `migrate` as virsh's cmdMigrate runs it: the options become migration flags and typed
 * parameters; with --p2p or --direct the source's daemon does the move (virDomainMigrateToURI3),
 * otherwise vsh opens the destination itself and runs the steps (virDomainMigrate3).
 */
import { DomainMigrateFlags as F, MigrateParam as P, migrateParams, type TypedParams } from '@virtkit/core';
import type { Ctl } from '../ctl';
import { lookupDomain } from '../lookup';
import { exclusive, flag, int, req, requires, str, uint } from '../opt';
import type { CmdDef, Opts } from '../types';
import { watchMigration, type MigrationWatch } from './migrate-watch';
import { readXmlFile } from './shared-options';

/** Boolean options and the flag each sets. */
const FLAG_OPTS: Array<[string, number]> = [
  ['live', F.VIR_MIGRATE_LIVE],
  ['p2p', F.VIR_MIGRATE_PEER2PEER],
  ['tunnelled', F.VIR_MIGRATE_TUNNELLED],
  ['persistent', F.VIR_MIGRATE_PERSIST_DEST],
  ['undefinesource', F.VIR_MIGRATE_UNDEFINE_SOURCE],
  ['suspend', F.VIR_MIGRATE_PAUSED],
  ['copy-storage-all', F.VIR_MIGRATE_NON_SHARED_DISK],
  ['copy-storage-inc', F.VIR_MIGRATE_NON_SHARED_INC],
  ['copy-storage-synchronous-writes', F.VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES],
  ['change-protection', F.VIR_MIGRATE_CHANGE_PROTECTION],
  ['unsafe', F.VIR_MIGRATE_UNSAFE],
  ['compressed', F.VIR_MIGRATE_COMPRESSED],
  ['auto-converge', F.VIR_MIGRATE_AUTO_CONVERGE],
  ['rdma-pin-all', F.VIR_MIGRATE_RDMA_PIN_ALL],
  ['offline', F.VIR_MIGRATE_OFFLINE],
  ['abort-on-error', F.VIR_MIGRATE_ABORT_ON_ERROR],
  ['postcopy', F.VIR_MIGRATE_POSTCOPY],
  ['tls', F.VIR_MIGRATE_TLS],
  ['parallel', F.VIR_MIGRATE_PARALLEL],
];

/** String options and the parameter each sets. */
const STRING_PARAMS: Array<[string, string]> = [
  ['migrateuri', P.VIR_MIGRATE_PARAM_URI],
  ['graphicsuri', P.VIR_MIGRATE_PARAM_GRAPHICS_URI],
  ['listen-address', P.VIR_MIGRATE_PARAM_LISTEN_ADDRESS],
  ['disks-uri', P.VIR_MIGRATE_PARAM_DISKS_URI],
  ['dname', P.VIR_MIGRATE_PARAM_DEST_NAME],
  ['tls-destination', P.VIR_MIGRATE_PARAM_TLS_DESTINATION],
];

/** Integer options and the parameter each sets. */
const INT_PARAMS: Array<[string, string]> = [
  ['disks-port', P.VIR_MIGRATE_PARAM_DISKS_PORT],
  ['comp-mt-level', P.VIR_MIGRATE_PARAM_COMPRESSION_MT_LEVEL],
  ['comp-mt-threads', P.VIR_MIGRATE_PARAM_COMPRESSION_MT_THREADS],
  ['comp-mt-dthreads', P.VIR_MIGRATE_PARAM_COMPRESSION_MT_DTHREADS],
  ['comp-xbzrle-cache', P.VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE],
  ['auto-converge-initial', P.VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL],
  ['auto-converge-increment', P.VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT],
  ['postcopy-bandwidth', P.VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY],
  ['parallel-connections', P.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS],
  ['bandwidth', P.VIR_MIGRATE_PARAM_BANDWIDTH],
];

/** Comma-separated options and the parameter each repeats, one item a time (virTypedParamsAddStringList). */
const LIST_PARAMS: Array<[string, string]> = [
  ['migrate-disks', P.VIR_MIGRATE_PARAM_MIGRATE_DISKS],
  ['comp-methods', P.VIR_MIGRATE_PARAM_COMPRESSION],
];

/** Options whose behaviour vsh lacks (libvirt's post-copy recovery and zero-copy). */
const LACKING = ['postcopy-resume', 'zerocopy'];

function migrationParams(ctl: Ctl, opts: Opts): TypedParams {
  const p: TypedParams = {};
  for (const [opt, key] of STRING_PARAMS) {
    const v = str(ctl, opts, opt);
    if (v !== null) p[key] = v;
  }
  for (const [opt, key] of INT_PARAMS) {
    const v = int(ctl, opts, opt);
    if (v !== null) p[key] = v;
  }
  for (const [opt, key] of LIST_PARAMS) {
    const v = str(ctl, opts, opt);
    if (v !== null) p[key] = v.split(',');
  }
  const xml = str(ctl, opts, 'xml');
  if (xml !== null) p[P.VIR_MIGRATE_PARAM_DEST_XML] = readXmlFile(xml);
  const persistentXml = str(ctl, opts, 'persistent-xml');
  if (persistentXml !== null) p[P.VIR_MIGRATE_PARAM_PERSIST_XML] = readXmlFile(persistentXml);
  return migrateParams(p);
}

/** --verbose, --timeout and its action, --postcopy-after-precopy, checked as virsh's cmdMigrate does. */
function watchOptions(ctl: Ctl, opts: Opts): MigrationWatch {
  const timeout = uint(ctl, opts, 'timeout') ?? 0;
  if (timeout > 0 && !flag(opts, 'live')) ctl.fail('migrate: Unexpected timeout for offline migration');
  if (!timeout && (flag(opts, 'timeout-suspend') || flag(opts, 'timeout-postcopy'))) {
    ctl.fail('migrate: Unexpected --timeout-* option without --timeout');
  }
  return {
    verbose: flag(opts, 'verbose'),
    timeout,
    onTimeout: flag(opts, 'timeout-postcopy') ? 'postcopy' : 'suspend',
    postcopyAfterPrecopy: flag(opts, 'postcopy-after-precopy'),
  };
}

export const migrateCommand: CmdDef = {
  name: 'migrate',
  group: 'domain',
  help: 'migrate domain to another host',
  opts: [],
  async handler(ctl, opts) {
    exclusive(ctl, opts, 'live', 'offline');
    exclusive(ctl, opts, 'timeout-suspend', 'timeout-postcopy');
    requires(ctl, opts, 'postcopy-after-precopy', 'postcopy');
    requires(ctl, opts, 'timeout-postcopy', 'postcopy');
    const lacking = LACKING.find((o) => opts.has(o));
    if (lacking) ctl.fail(`option --${lacking} is not supported by vsh yet`);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const watch = watchOptions(ctl, opts);
    const desturi = req(ctl, opts, 'desturi');
    const params = migrationParams(ctl, opts);
    let flags = 0;
    for (const [opt, bit] of FLAG_OPTS) if (flag(opts, opt)) flags |= bit;
    if (flags & F.VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES && !(flags & (F.VIR_MIGRATE_NON_SHARED_DISK | F.VIR_MIGRATE_NON_SHARED_INC))) {
      ctl.fail("'--copy-storage-synchronous-writes' requires one of '--copy-storage-all', '--copy-storage-inc'");
    }
    if (flags & F.VIR_MIGRATE_PEER2PEER || flag(opts, 'direct')) {
      await watchMigration(ctl, dom, watch, () => dom.migrateToURI3(desturi, params, flags));
      return true;
    }
    if (!ctl.opener) throw new Error('no connection opener');
    const dconn = await ctl.opener(desturi, false);
    try {
      await watchMigration(ctl, dom, watch, async () => void (await dom.migrate3(dconn, params, flags)));
    } finally {
      await dconn.close().catch(() => undefined);
    }
    return true;
  },
};
