/** Block job commands: blockcommit, blockpull, blockcopy, blockjob (virsh 9.0's options, order of checks and texts). */
import {
  ConnectDomainEventBlockJobStatus as S,
  DomainBlockCommitFlags as C,
  DomainBlockCopyFlags as Y,
  DomainBlockJobAbortFlags as A,
  DomainBlockJobInfoFlags,
  DomainBlockJobSetSpeedFlags,
  DomainBlockPullFlags,
  DomainBlockRebaseFlags as R,
  ErrorNumber,
  type BlockJobInfo,
  type Domain,
  type TypedParams,
  wideToNumber,
} from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, OptDef, Opts } from '../types';
import { BlockJobWait, bandwidthOpt, printJobProgress, timeoutOpt } from '../blockjob-wait';
import { isVirError } from '../errors';
import { prettyCapacity } from '../format';
import { lookupDomain } from '../lookup';
import { exclusive, flag, printJson, requires, req, str } from '../opt';
import { escapeXml } from '../xmlinfo';
import { DOMAIN_OPT, JSON_OPT, readXmlFile } from './shared-options';

/** virsh's names of block job types, for progress lines and `blockjob --raw`. */
export const BLOCK_JOB_LABELS = ['Unknown job', 'Block Pull', 'Block Copy', 'Block Commit', 'Active Block Commit', 'Backup'];

const PATH_OPT: OptDef = { name: 'path', type: 'string', required: true, help: 'fully-qualified path of disk' };
const b = (name: string, help: string): OptDef => ({ name, type: 'bool', help });
const s = (name: string, help: string, type: 'string' | 'int' = 'string'): OptDef => ({ name, type, help });
const BANDWIDTH = s('bandwidth', 'bandwidth limit in MiB/s', 'int');
const VERBOSE = b('verbose', 'with --wait, display the progress');
const ASYNC = b('async', "with --wait, don't wait for cancel to finish");
const KEEP_RELATIVE = b('keep-relative', 'keep the backing chain relatively referenced');
const BYTES = b('bytes', 'the bandwidth limit is in bytes/s rather than MiB/s');

/** --verbose and --async need a blocking mode; virsh names the options that give one. */
function needBlocking(ctl: Ctl, opts: Opts, blocking: boolean, modes: string): void {
  if (blocking) return;
  if (flag(opts, 'verbose')) ctl.fail(`--verbose requires at least one of ${modes}`);
  if (flag(opts, 'async')) ctl.fail(`--async requires at least one of ${modes}`);
}

/** Start the event registration first (virsh does, so no event is missed), then the job. */
async function startJob(
  ctl: Ctl,
  dom: Domain,
  path: string,
  label: string,
  opts: Opts,
  blocking: boolean,
  timeoutMs: number,
  run: () => Promise<void>,
): Promise<BlockJobWait | null> {
  const waiter = blocking
    ? await BlockJobWait.start(ctl, { dom, dev: path, label, verbose: flag(opts, 'verbose'), timeoutMs, asyncAbort: flag(opts, 'async') })
    : null;
  try {
    await run();
  } catch (e) {
    await waiter?.stop();
    throw e;
  }
  return waiter;
}

/** Wait for the job; false (after virsh's line) when it was canceled or failed. */
async function finished(ctl: Ctl, waiter: BlockJobWait, what: string): Promise<boolean> {
  try {
    const status = await waiter.wait();
    if (status === S.VIR_DOMAIN_BLOCK_JOB_CANCELED) ctl.printExtra(`\n${what} aborted`);
    if (status === S.VIR_DOMAIN_BLOCK_JOB_FAILED) ctl.printExtra(`\n${what} failed`);
    return status === S.VIR_DOMAIN_BLOCK_JOB_COMPLETED || status === S.VIR_DOMAIN_BLOCK_JOB_READY;
  } finally {
    await waiter.stop();
  }
}

/** End a two-phase job after its wait: pivot, or finish keeping the source. */
async function conclude(ctl: Ctl, dom: Domain, path: string, opts: Opts, pivot: boolean, verb: 'pivot' | 'finish'): Promise<void> {
  const flags = (flag(opts, 'async') ? A.VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC : 0) | (pivot ? A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT : 0);
  await ctl.attempt(`failed to ${verb} job for disk ${path}`, () => dom.blockJobAbort(path, flags));
}

const blockcommit: CmdDef = {
  name: 'blockcommit',
  group: 'domain',
  help: 'Start a block commit operation.',
  desc: 'Commit changes from a snapshot down to its backing image.',
  opts: [
    DOMAIN_OPT,
    PATH_OPT,
    BANDWIDTH,
    s('base', 'path of base file to commit into (default bottom of chain)'),
    b('shallow', 'use backing file of top as base'),
    s('top', 'path of top file to commit from (default top of chain)'),
    b('active', 'trigger two-stage active commit of top file'),
    b('delete', 'delete files that were successfully committed'),
    b('wait', 'wait for job to complete (with --active, wait for job to sync)'),
    VERBOSE,
    s('timeout', 'implies --wait, abort if copy exceeds timeout (in seconds)', 'int'),
    b('pivot', 'implies --active --wait, pivot when commit is synced'),
    b('keep-overlay', 'implies --active --wait, quit when commit is synced'),
    ASYNC,
    KEEP_RELATIVE,
    BYTES,
  ],
  async handler(ctl, opts) {
    const pivot = flag(opts, 'pivot');
    const finish = flag(opts, 'keep-overlay');
    const active = flag(opts, 'active') || pivot || finish;
    let blocking = flag(opts, 'wait') || pivot || finish;
    exclusive(ctl, opts, 'pivot', 'keep-overlay');
    const path = req(ctl, opts, 'path');
    const base = str(ctl, opts, 'base');
    const top = str(ctl, opts, 'top');
    const bytes = flag(opts, 'bytes');
    const bandwidth = bandwidthOpt(ctl, opts, bytes);
    let flags = 0;
    if (bytes) flags |= C.VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES;
    if (flag(opts, 'shallow')) flags |= C.VIR_DOMAIN_BLOCK_COMMIT_SHALLOW;
    if (flag(opts, 'delete')) flags |= C.VIR_DOMAIN_BLOCK_COMMIT_DELETE;
    if (active) flags |= C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE;
    if (flag(opts, 'keep-relative')) flags |= C.VIR_DOMAIN_BLOCK_COMMIT_RELATIVE;
    const timeoutMs = timeoutOpt(ctl, opts);
    if (timeoutMs) blocking = true;
    needBlocking(ctl, opts, blocking, '--timeout, --wait, --pivot, or --keep-overlay');
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const waiter = await startJob(ctl, dom, path, 'Block commit', opts, blocking, timeoutMs, () =>
      dom.blockCommit(path, base, top, bandwidth, flags),
    );
    if (!waiter) {
      ctl.printExtra(active ? 'Active Block Commit started' : 'Block Commit started');
      return true;
    }
    if (!(await finished(ctl, waiter, 'Commit'))) return false;
    if (!active) ctl.printExtra('\nCommit complete');
    else if (pivot) {
      await conclude(ctl, dom, path, opts, true, 'pivot');
      ctl.printExtra('\nSuccessfully pivoted');
    } else if (finish) {
      await conclude(ctl, dom, path, opts, false, 'finish');
      ctl.printExtra('\nCommit complete, overlay image kept');
    } else ctl.printExtra('\nNow in synchronized phase');
    return true;
  },
};

const blockpull: CmdDef = {
  name: 'blockpull',
  group: 'domain',
  help: 'Populate a disk from its backing image.',
  desc: 'Populate a disk from its backing image.',
  opts: [
    DOMAIN_OPT,
    PATH_OPT,
    BANDWIDTH,
    s('base', 'path of backing file in chain for a partial pull'),
    b('wait', 'wait for job to finish'),
    VERBOSE,
    s('timeout', 'with --wait, abort if pull exceeds timeout (in seconds)', 'int'),
    ASYNC,
    KEEP_RELATIVE,
    BYTES,
  ],
  async handler(ctl, opts) {
    const blocking = flag(opts, 'wait');
    requires(ctl, opts, 'verbose', 'wait');
    requires(ctl, opts, 'async', 'wait');
    const path = req(ctl, opts, 'path');
    const base = str(ctl, opts, 'base');
    const bytes = flag(opts, 'bytes');
    const bandwidth = bandwidthOpt(ctl, opts, bytes);
    const timeoutMs = timeoutOpt(ctl, opts);
    let flags = flag(opts, 'keep-relative') ? R.VIR_DOMAIN_BLOCK_REBASE_RELATIVE : 0;
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const waiter = await startJob(ctl, dom, path, 'Block Pull', opts, blocking, timeoutMs, () => {
      if (base !== null || flags) {
        if (bytes) flags |= R.VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES;
        return dom.blockRebase(path, base, bandwidth, flags);
      }
      return dom.blockPull(path, bandwidth, bytes ? DomainBlockPullFlags.VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES : 0);
    });
    if (!waiter) {
      ctl.printExtra('Block Pull started');
      return true;
    }
    if (!(await finished(ctl, waiter, 'Pull'))) return false;
    ctl.printExtra('\nPull complete');
    return true;
  },
};

/** The `<disk>` virsh builds for blockcopy --dest. */
function copyDestXml(dest: string, format: string | null, blockdev: boolean): string {
  const source = blockdev ? `<source dev='${escapeXml(dest)}'/>` : `<source file='${escapeXml(dest)}'/>`;
  const driver = format !== null ? `  <driver type='${escapeXml(format)}'/>\n` : '';
  return `<disk type='${blockdev ? 'block' : 'file'}'>\n  ${source}\n${driver}</disk>\n`;
}

/** An unsigned option of at most `max`, 0 when absent, with virsh's error text. */
function unsignedOpt(ctl: Ctl, opts: Opts, name: string, max: bigint): number {
  const text = str(ctl, opts, name);
  if (text === null) return 0;
  if (!/^\d+$/.test(text) || BigInt(text) > max) ctl.fail(`Numeric value '${text}' for <${name}> option is malformed or out of range`);
  return Number(text);
}

const blockcopy: CmdDef = {
  name: 'blockcopy',
  group: 'domain',
  help: 'Start a block copy operation.',
  desc: 'Copy a disk backing image chain to dest.',
  opts: [
    DOMAIN_OPT,
    { ...PATH_OPT, help: 'fully-qualified path of source disk' },
    s('dest', 'path of the copy to create'),
    BANDWIDTH,
    b('shallow', 'make the copy share a backing chain'),
    b('reuse-external', 'reuse existing destination'),
    { name: 'raw', type: 'bool', aliasOf: 'format=raw' },
    b('blockdev', 'copy destination is block device instead of regular file'),
    b('wait', 'wait for job to reach mirroring phase'),
    VERBOSE,
    s('timeout', 'implies --wait, abort if copy exceeds timeout (in seconds)', 'int'),
    b('pivot', 'implies --wait, pivot when mirroring starts'),
    b('finish', 'implies --wait, quit when mirroring starts'),
    ASYNC,
    s('xml', 'filename containing XML description of the copy destination'),
    s('format', 'format of the destination file'),
    s('granularity', 'power-of-two granularity to use during the copy', 'int'),
    s('buf-size', 'maximum amount of in-flight data during the copy', 'int'),
    BYTES,
    b('transient-job', 'the copy job is not persisted if VM is turned off'),
    b('synchronous-writes', 'the copy job forces guest writes to be synchronously written to the destination'),
    b('print-xml', 'print the XML used to start the copy job instead of starting the job'),
  ],
  async handler(ctl, opts) {
    const pivot = flag(opts, 'pivot');
    const finish = flag(opts, 'finish');
    const blockdev = flag(opts, 'blockdev');
    let blocking = flag(opts, 'wait') || finish || pivot;
    const path = req(ctl, opts, 'path');
    const dest = str(ctl, opts, 'dest');
    const xml = str(ctl, opts, 'xml');
    const format = str(ctl, opts, 'format');
    const bytes = flag(opts, 'bytes');
    const bandwidth = bandwidthOpt(ctl, opts, bytes);
    const granularity = unsignedOpt(ctl, opts, 'granularity', 0xffffffffn);
    const bufSize = unsignedOpt(ctl, opts, 'buf-size', 2n ** 64n - 1n);
    // the shallow and reuse bits are the same in the rebase and copy flag sets
    let flags = 0;
    if (flag(opts, 'shallow')) flags |= Y.VIR_DOMAIN_BLOCK_COPY_SHALLOW;
    if (flag(opts, 'reuse-external')) flags |= Y.VIR_DOMAIN_BLOCK_COPY_REUSE_EXT;
    if (flag(opts, 'transient-job')) flags |= Y.VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB;
    if (flag(opts, 'synchronous-writes')) flags |= Y.VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES;
    const timeoutMs = timeoutOpt(ctl, opts);
    if (timeoutMs) blocking = true;
    exclusive(ctl, opts, 'dest', 'xml');
    exclusive(ctl, opts, 'format', 'xml');
    exclusive(ctl, opts, 'blockdev', 'xml');
    exclusive(ctl, opts, 'pivot', 'finish');
    if (dest === null && xml === null) ctl.fail('need either --dest or --xml');
    needBlocking(ctl, opts, blocking, '--timeout, --wait, --pivot, or --finish');
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const printXml = flag(opts, 'print-xml');
    const newApi =
      granularity ||
      bufSize ||
      (format !== null && format !== 'raw') ||
      xml !== null ||
      flag(opts, 'transient-job') ||
      flag(opts, 'synchronous-writes') ||
      printXml;
    let destXml: string | null = null;
    let params: TypedParams = {};
    if (newApi) {
      destXml = xml !== null ? readXmlFile(xml) : copyDestXml(dest!, format, blockdev);
      if (printXml) {
        ctl.print(destXml);
        return true;
      }
      params = {
        ...(bandwidth ? { bandwidth: bytes ? bandwidth : bandwidth * 2 ** 20 } : {}),
        ...(granularity ? { granularity } : {}),
        ...(bufSize ? { buf_size: bufSize } : {}),
      };
    }
    const waiter = await startJob(ctl, dom, path, 'Block Copy', opts, blocking, timeoutMs, () => {
      if (destXml !== null) return dom.blockCopy(path, destXml, params, flags);
      let rebase = flags | R.VIR_DOMAIN_BLOCK_REBASE_COPY;
      if (blockdev) rebase |= R.VIR_DOMAIN_BLOCK_REBASE_COPY_DEV;
      if (format === 'raw') rebase |= R.VIR_DOMAIN_BLOCK_REBASE_COPY_RAW;
      if (bytes) rebase |= R.VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES;
      return dom.blockRebase(path, dest, bandwidth, rebase);
    });
    if (!waiter) {
      ctl.printExtra('Block Copy started');
      return true;
    }
    if (!(await finished(ctl, waiter, 'Copy'))) return false;
    if (pivot) {
      await conclude(ctl, dom, path, opts, true, 'pivot');
      ctl.printExtra('\nSuccessfully pivoted');
    } else if (finish) {
      await conclude(ctl, dom, path, opts, false, 'finish');
      ctl.printExtra('\nSuccessfully copied');
    } else ctl.printExtra('\nNow in mirroring phase');
    return true;
  },
};

/** The job on `path` with its bandwidth in bytes/s (or as reported, with `raw`), as virsh's virshBlockJobInfo asks. */
async function jobInfo(dom: Domain, path: string, raw: boolean, bytes: boolean): Promise<{ info: BlockJobInfo | null; speed: number }> {
  if (bytes || !raw) {
    try {
      const info = await dom.getBlockJobInfo(path, DomainBlockJobInfoFlags.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES);
      return { info, speed: wideToNumber(info?.bandwidth ?? 0) };
    } catch (e) {
      const retry = isVirError(e) && (e.code === ErrorNumber.VIR_ERR_INVALID_ARG || e.code === ErrorNumber.VIR_ERR_OVERFLOW);
      if (!retry || bytes || raw) throw e;
    }
  }
  const info = await dom.getBlockJobInfo(path, 0);
  const mib = wideToNumber(info?.bandwidth ?? 0);
  return { info, speed: raw ? mib : mib * 2 ** 20 };
}

const blockjob: CmdDef = {
  name: 'blockjob',
  group: 'domain',
  help: 'Manage active block operations',
  desc: 'Query, adjust speed, or cancel active block operations.',
  opts: [
    DOMAIN_OPT,
    PATH_OPT,
    b('abort', 'abort the active job on the specified disk'),
    b('async', "implies --abort; request but don't wait for job end"),
    b('pivot', 'implies --abort; conclude and pivot a copy or commit job'),
    b('info', 'get active job information for the specified disk'),
    b('bytes', 'get/set bandwidth in bytes rather than MiB/s'),
    b('raw', 'implies --info; output details rather than human summary'),
    s('bandwidth', 'set the bandwidth limit in MiB/s', 'int'),
    JSON_OPT,
  ],
  async handler(ctl, opts) {
    for (const [x, y] of [
      ['raw', 'abort'],
      ['raw', 'pivot'],
      ['raw', 'async'],
      ['raw', 'bandwidth'],
      ['info', 'abort'],
      ['info', 'pivot'],
      ['info', 'async'],
      ['info', 'bandwidth'],
      ['bytes', 'abort'],
      ['bytes', 'pivot'],
      ['bytes', 'async'],
    ]) {
      exclusive(ctl, opts, x, y);
    }
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const path = req(ctl, opts, 'path');
    const bytes = flag(opts, 'bytes');
    if (opts.has('bandwidth')) {
      const bandwidth = bandwidthOpt(ctl, opts, bytes);
      await dom.blockJobSetSpeed(path, bandwidth, bytes ? DomainBlockJobSetSpeedFlags.VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES : 0);
      return true;
    }
    if (flag(opts, 'abort') || flag(opts, 'pivot') || flag(opts, 'async')) {
      const flags =
        (flag(opts, 'async') ? A.VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC : 0) | (flag(opts, 'pivot') ? A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT : 0);
      await dom.blockJobAbort(path, flags);
      return true;
    }
    const raw = flag(opts, 'raw');
    const { info, speed } = await jobInfo(dom, path, raw || flag(opts, 'json'), bytes || flag(opts, 'json'));
    if (flag(opts, 'json')) {
      printJson(
        ctl,
        info === null
          ? null
          : { type: BLOCK_JOB_LABELS[info.type] ?? 'Unknown job', typeId: info.type, cur: info.cur, end: info.end, bandwidth: speed },
      );
      return true;
    }
    if (info === null) {
      if (!raw) ctl.printExtra(`No current block job for ${path}`);
      return true;
    }
    if (raw) {
      ctl.print(` type=${BLOCK_JOB_LABELS[info.type] ?? '(null)'}\n bandwidth=${info.bandwidth}\n cur=${info.cur}\n end=${info.end}\n`);
      return true;
    }
    printJobProgress(ctl, BLOCK_JOB_LABELS[info.type] ?? 'Unknown job', wideToNumber(info.end) - wideToNumber(info.cur), info.end);
    if (speed) ctl.print(`    Bandwidth limit: ${speed} bytes/s (${prettyCapacity(speed, 3)}/s)`);
    ctl.print('\n');
    return true;
  },
};

export const blockjobCommands: CmdDef[] = [blockcommit, blockpull, blockcopy, blockjob];
