/** Backup and domain job commands: backup-begin (with vsh's --wait --verbose), backup-dumpxml, domjobinfo, domjobabort. */
import {
  DomainAbortJobFlags,
  DomainBackupBeginFlags,
  DomainGetJobStatsFlags as F,
  DomainJobType as T,
  ErrorNumber,
  VirError,
  type Domain,
  type JobStats,
  type TypedParams,
} from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef } from '../types';
import { printJobProgress } from '../blockjob-wait';
import { isVirError } from '../errors';
import { label, prettyCapacity } from '../format';
import { lookupDomain } from '../lookup';
import { flag, printJson, req, requires, str } from '../opt';
import { DOMAIN_OPT, JSON_OPT, readXmlFile, withNewline } from './shared-options';

const JOB_TYPES = ['None', 'Bounded', 'Unbounded', 'Completed', 'Failed', 'Cancelled'];
const JOB_OPERATIONS = [
  'Unknown',
  'Start',
  'Save',
  'Restore',
  'Incoming migration',
  'Outgoing migration',
  'Snapshot',
  'Snapshot revert',
  'Dump',
  'Backup',
  'Snapshot delete',
];
const POLL_MS = 200;

const num = (p: TypedParams, k: string): number | undefined => (p[k] === undefined ? undefined : Number(p[k]));

/**
 * Job statistics as virsh's domjobinfo gets them: virDomainGetJobStats, else (plain query only)
 * virDomainGetJobInfo, which the API does not carry, so such a driver answers as libvirt does
 * for a driver without it.
 */
async function jobStats(ctl: Ctl, dom: Domain, flags: number, raw: boolean): Promise<JobStats> {
  try {
    return await dom.getJobStats(flags);
  } catch (e) {
    if (!isVirError(e) || e.code !== ErrorNumber.VIR_ERR_NO_SUPPORT) throw e;
    if (flags !== 0 || raw) ctl.error('Optional flags or --rawstats are not supported by the daemon');
    throw VirError.noSupport(flags !== 0 || raw ? 'virDomainGetJobStats' : 'virDomainGetJobInfo');
  }
}

/** The lines of domjobinfo for a job with statistics, in virsh's order and formats. */
function jobLines(stats: JobStats): string {
  const p = stats.params;
  const out: string[] = [];
  const text = (k: string, v: string): number => out.push(`${label(k, 17)} ${v}`);
  const ms = (k: string, v: number): number => text(k, `${label(String(v), 12)} ms`);
  const size = (k: string, v: number, suffix = ''): number => text(k, `${prettyCapacity(v, 3)}${suffix}`);
  const count = (k: string, v: number, unit = ''): number => text(k, unit ? `${label(String(v), 12)} ${unit}` : label(String(v), 12));
  const each = (key: string, fn: (v: number) => void): void => {
    const v = num(p, key);
    if (v !== undefined) fn(v);
  };
  text('Operation:', label(JOB_OPERATIONS[num(p, 'operation') ?? 0] ?? 'Unknown', 12));
  ms('Time elapsed:', num(p, 'time_elapsed') ?? 0);
  each('time_elapsed_net', (v) => ms('Time elapsed w/o network:', v));
  if (stats.type === T.VIR_DOMAIN_JOB_BOUNDED) ms('Time remaining:', num(p, 'time_remaining') ?? 0);
  const triple = (prefix: string, title: string): void => {
    const [done, left, total] = ['processed', 'remaining', 'total'].map((w) => num(p, `${prefix}_${w}`) ?? 0);
    if (!done && !left && !total) return;
    size(`${title} processed:`, done);
    size(`${title} remaining:`, left);
    size(`${title} total:`, total);
  };
  triple('data', 'Data');
  triple('memory', 'Memory');
  each('memory_bps', (v) => size('Memory bandwidth:', v, '/s'));
  each('memory_dirty_rate', (v) => count('Dirty rate:', v, 'pages/s'));
  each('memory_page_size', (v) => count('Page size:', v, 'bytes'));
  each('memory_iteration', (v) => count('Iteration:', v));
  each('memory_postcopy_requests', (v) => count('Postcopy requests:', v));
  triple('disk', 'File');
  each('disk_bps', (v) => size('File bandwidth:', v, '/s'));
  each('memory_constant', (v) => count('Constant pages:', v));
  each('memory_normal', (v) => count('Normal pages:', v));
  each('memory_normal_bytes', (v) => size('Normal data:', v));
  each('downtime', (v) => ms('Total downtime:', v));
  each('downtime_net', (v) => ms('Downtime w/o network:', v));
  each('setup_time', (v) => ms('Setup time:', v));
  each('disk_temp_used', (v) => size('Temporary disk space use:', v));
  each('disk_temp_total', (v) => size('Temporary disk space total:', v));
  if (typeof p.errmsg === 'string') text('Error message:', p.errmsg);
  return out.map((l) => `${l}\n`).join('');
}

/** vsh's addition: follow the backup job until it ends, with a `Backup: [ 42 %]` line when verbose. */
async function waitForBackup(ctl: Ctl, dom: Domain, verbose: boolean): Promise<boolean> {
  let last = -1;
  for (;;) {
    const s = await dom.getJobStats(0);
    if (s.type !== T.VIR_DOMAIN_JOB_BOUNDED && s.type !== T.VIR_DOMAIN_JOB_UNBOUNDED) break;
    const total = num(s.params, 'disk_total') ?? num(s.params, 'data_total') ?? 0;
    const done = num(s.params, 'disk_processed') ?? num(s.params, 'data_processed') ?? 0;
    if (verbose && total > 0 && done !== last) printJobProgress(ctl, 'Backup', total - done, total);
    last = done;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const done = await dom.getJobStats(F.VIR_DOMAIN_JOB_STATS_COMPLETED | F.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED);
  const ok = done.type === T.VIR_DOMAIN_JOB_COMPLETED || done.type === T.VIR_DOMAIN_JOB_NONE;
  if (ok && verbose) printJobProgress(ctl, 'Backup', 0, 1);
  if (!ok) {
    const why = typeof done.params.errmsg === 'string' ? `: ${done.params.errmsg}` : '';
    ctl.printExtra(done.type === T.VIR_DOMAIN_JOB_CANCELLED ? '\nBackup aborted' : `\nBackup failed${why}`);
  } else ctl.printExtra('\nBackup complete');
  return ok;
}

export const backupCommands: CmdDef[] = [
  {
    name: 'backup-begin',
    group: 'domain',
    help: 'Start a disk backup of a live domain',
    desc:
      'Use XML to start a full or incremental disk backup of a live domain, optionally creating a checkpoint. ' +
      'vsh addition: --wait follows the job to its end (Backup complete / aborted / failed), --verbose with a progress line.',
    opts: [
      DOMAIN_OPT,
      { name: 'backupxml', type: 'string', help: 'domain backup XML' },
      { name: 'checkpointxml', type: 'string', help: 'domain checkpoint XML' },
      { name: 'reuse-external', type: 'bool', help: 'reuse files provided by caller' },
      { name: 'wait', type: 'bool', help: 'wait for the backup job to end (vsh addition)' },
      { name: 'verbose', type: 'bool', help: 'with --wait, display the progress (vsh addition)' },
    ],
    async handler(ctl, opts) {
      requires(ctl, opts, 'verbose', 'wait');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const backupFile = str(ctl, opts, 'backupxml');
      const checkpointFile = str(ctl, opts, 'checkpointxml');
      const backupXml = backupFile === null ? '<domainbackup/>' : readXmlFile(backupFile);
      const checkpointXml = checkpointFile === null ? null : readXmlFile(checkpointFile);
      const flags = flag(opts, 'reuse-external') ? DomainBackupBeginFlags.VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL : 0;
      await dom.backupBegin(backupXml, checkpointXml, flags);
      ctl.print('Backup started\n');
      if (!flag(opts, 'wait')) return true;
      return waitForBackup(ctl, dom, flag(opts, 'verbose'));
    },
  },
  {
    name: 'backup-dumpxml',
    group: 'domain',
    help: 'Dump XML for an ongoing domain block backup job',
    opts: [DOMAIN_OPT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      ctl.print(withNewline(await dom.backupGetXMLDesc(0)));
      return true;
    },
  },
  {
    name: 'domjobinfo',
    group: 'domain',
    help: 'domain job information',
    opts: [
      DOMAIN_OPT,
      { name: 'completed', type: 'bool', help: 'return statistics of a recently completed job' },
      { name: 'keep-completed', type: 'bool', help: "don't destroy statistics of a recently completed job when reading" },
      { name: 'anystats', type: 'bool', help: 'print statistics for any kind of job (even failed ones)' },
      { name: 'rawstats', type: 'bool', help: 'print the raw data returned by libvirt' },
      JSON_OPT,
    ],
    async handler(ctl, opts) {
      requires(ctl, opts, 'keep-completed', 'completed');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let flags = 0;
      if (flag(opts, 'completed')) flags |= F.VIR_DOMAIN_JOB_STATS_COMPLETED;
      if (flag(opts, 'keep-completed')) flags |= F.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;
      const stats = await jobStats(ctl, dom, flags, flag(opts, 'rawstats'));
      if (flag(opts, 'json')) {
        const params = Object.fromEntries(Object.entries(stats.params).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
        printJson(ctl, { type: JOB_TYPES[stats.type]?.toLowerCase() ?? 'unknown', typeId: stats.type, params });
        return true;
      }
      if (flag(opts, 'rawstats')) {
        ctl.print(`Job type: ${stats.type}\n\n`);
        // virTypedParameterToString writes booleans as yes/no
        for (const [k, v] of Object.entries(stats.params)) ctl.print(`${k}: ${typeof v === 'boolean' ? (v ? 'yes' : 'no') : v}\n`);
        return true;
      }
      ctl.print(`${label('Job type:', 17)} ${label(JOB_TYPES[stats.type] ?? 'unknown', 12)}\n`);
      const running = stats.type === T.VIR_DOMAIN_JOB_BOUNDED || stats.type === T.VIR_DOMAIN_JOB_UNBOUNDED;
      const completed = flag(opts, 'completed') && stats.type === T.VIR_DOMAIN_JOB_COMPLETED;
      if (!flag(opts, 'anystats') && !running && !completed) return true;
      ctl.print(jobLines(stats));
      return true;
    },
  },
  {
    name: 'domjobabort',
    group: 'domain',
    help: 'abort active domain job',
    opts: [DOMAIN_OPT, { name: 'postcopy', type: 'bool', help: 'interrupt post-copy migration' }],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      if (flag(opts, 'postcopy')) await dom.abortJobFlags(DomainAbortJobFlags.VIR_DOMAIN_ABORT_JOB_POSTCOPY);
      else await dom.abortJob();
      return true;
    },
  },
];
