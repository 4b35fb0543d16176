/**
 * qemuDomainCoreDumpWithFormat: the guest's memory alone (QMP `dump-guest-memory` in one of
 * QEMU's formats, to a descriptor the driver opens and passes), or QEMU's whole migration stream;
 * the domain is paused meanwhile unless LIVE, and crashed (stopped) or reset afterwards on request.
 */
import * as fs from 'node:fs';
import {
  DomainCoreDumpFlags as D,
  DomainCoreDumpFormat,
  DomainPausedReason,
  DomainShutoffReason,
  DomainState,
  ErrorDomain,
  ErrorNumber,
  VirError,
  type DomainRef,
} from '@virtkit/core';
import { checkFlags, FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import type { QmpClient } from '../qmp/client';
import type { QemuDriver } from '../qemu-driver';
import { migrationDone } from './managed';
import { receiveInto } from './stream';

const POLL_MS = 50;
const ALL_FLAGS = D.VIR_DUMP_LIVE | D.VIR_DUMP_CRASH | D.VIR_DUMP_BYPASS_CACHE | D.VIR_DUMP_RESET | D.VIR_DUMP_MEMORY_ONLY;

/** QEMU's name of each DomainCoreDumpFormat (qemuDumpFormat). */
const QEMU_FORMATS = ['elf', 'kdump-zlib', 'kdump-lzo', 'kdump-snappy', 'win-dmp'];

/** virDomainCoreDumpWithFormat's own checks (virReportInvalidArg: the bare text), made for every driver before it is called. */
function checkArgs(dumpformat: number, flags: number): void {
  const invalid = (message: string) =>
    new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_DOMAIN, message, str1: message });
  if (dumpformat >= QEMU_FORMATS.length) throw invalid(`dumpformat '${dumpformat}' is not supported`);
  for (const [a, b] of [
    ['VIR_DUMP_CRASH', 'VIR_DUMP_LIVE'],
    ['VIR_DUMP_CRASH', 'VIR_DUMP_RESET'],
    ['VIR_DUMP_LIVE', 'VIR_DUMP_RESET'],
  ] as const) {
    if (flags & D[a] && flags & D[b]) throw invalid(`Flags '${a}' and '${b}' are mutually exclusive`);
  }
}

/** dump-guest-memory into `fd`, after asking QEMU whether it can write `format`; waits for the end. */
async function dumpMemory(mon: QmpClient, fd: number, format: string): Promise<void> {
  if (format !== 'elf') {
    const caps = await mon.execute<{ formats: string[] }>('query-dump-guest-memory-capability');
    if (!caps.formats.includes(format)) {
      throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `unsupported dumpformat '${format}' for this QEMU binary`);
    }
  }
  await mon.getfd('dump', fd);
  const args: Record<string, unknown> = { paging: false, protocol: 'fd:dump', detach: true };
  if (format !== 'elf') args.format = format;
  await mon.execute('dump-guest-memory', args);
  for (;;) {
    const st = await mon.execute<{ status: string }>('query-dump');
    if (st.status === 'completed') return;
    if (st.status === 'failed') throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, FROM_QEMU, 'memory-only dump failed');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** QEMU's whole state as its migration stream (a non-memory-only dump). */
async function dumpState(mon: QmpClient, to: string): Promise<void> {
  const sink = await receiveInto(to);
  await mon.execute('migrate', { uri: sink.uri });
  await migrationDone(mon, 'dump');
  await sink.done;
}

/** doCoreDump: write the file, removed again when the dump fails. */
async function writeDump(obj: QemuDomainObj, to: string, dumpformat: number, flags: number): Promise<void> {
  const memoryOnly = (flags & D.VIR_DUMP_MEMORY_ONLY) !== 0;
  if (!memoryOnly && dumpformat !== DomainCoreDumpFormat.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      FROM_QEMU,
      'kdump-compressed format is only supported with memory-only dump',
    );
  }
  let fd: number;
  try {
    fd = fs.openSync(
      to,
      fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_WRONLY | (flags & D.VIR_DUMP_BYPASS_CACHE ? fs.constants.O_DIRECT : 0),
      0o600,
    );
  } catch (e) {
    throw VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, FROM_QEMU, `Failed to create file '${to}': ${(e as Error).message}`);
  }
  try {
    if (memoryOnly) await dumpMemory(obj.monitor(), fd, QEMU_FORMATS[dumpformat]!);
    else await dumpState(obj.monitor(), to);
  } catch (e) {
    fs.rmSync(to, { force: true });
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

export async function coreDumpWithFormat(driver: QemuDriver, ref: DomainRef, to: string, dumpformat: number, flags: number): Promise<void> {
  checkArgs(dumpformat, flags);
  checkFlags(flags, ALL_FLAGS, 'qemuDomainCoreDumpWithFormat');
  const obj = driver.domains.get(ref);
  await driver.withJob(
    obj,
    'modify',
    'virDomainCoreDumpWithFormat',
    async () => {
      if (!obj.active) throw notRunning();
      const running = obj.state.state === DomainState.VIR_DOMAIN_RUNNING;
      if (running && !(flags & D.VIR_DUMP_LIVE)) await obj.runtime.suspend(DomainPausedReason.VIR_DOMAIN_PAUSED_DUMP);
      let done = false;
      try {
        await writeDump(obj, to, dumpformat, flags);
        done = true;
      } finally {
        if (done && flags & D.VIR_DUMP_CRASH) await obj.runtime.stop('force', DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED);
        else if (obj.active) {
          if (done && flags & D.VIR_DUMP_RESET) await obj.runtime.reset();
          // A full dump is a migration, which stops the vCPUs even when LIVE.
          if (running) await obj.runtime.resume();
        }
      }
    },
    'dump',
  );
}
