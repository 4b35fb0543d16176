/**
 * testDomainCoreDumpWithFormat: the test driver has no memory to dump, so the file holds its
 * magic only; CRASH leaves the domain crashed. The public API's own argument checks come first.
 */
import * as fs from 'node:fs';
import {
  DomainCoreDumpFlags as D,
  DomainCoreDumpFormat as F,
  DomainEventStoppedDetailType,
  DomainEventType,
  DomainShutoffReason,
  ErrorNumber,
  type DomainRef,
} from '@virtkit/core';
import { SAVE_MAGIC, systemError } from './domain-state';
import { shutdownState } from './domains';
import { checkFlags, err, notRunning, rawInvalidArg, FROM_DOMAIN } from './errors';
import type { TestState } from './state';

/** virDomainCoreDumpWithFormat's checks: a known format, and no two of CRASH, LIVE and RESET. */
function checkArgs(dumpformat: number, flags: number): void {
  if (dumpformat > F.VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP) throw rawInvalidArg(`dumpformat '${dumpformat}' is not supported`, FROM_DOMAIN);
  for (const [a, b] of [
    ['VIR_DUMP_CRASH', 'VIR_DUMP_LIVE'],
    ['VIR_DUMP_CRASH', 'VIR_DUMP_RESET'],
    ['VIR_DUMP_LIVE', 'VIR_DUMP_RESET'],
  ] as const) {
    if (flags & D[a] && flags & D[b]) throw rawInvalidArg(`Flags '${a}' and '${b}' are mutually exclusive`, FROM_DOMAIN);
  }
}

export function coreDump(state: TestState, ref: DomainRef, to: string, dumpformat: number, flags: number): void {
  checkArgs(dumpformat, flags);
  checkFlags(flags, D.VIR_DUMP_CRASH, 'testDomainCoreDumpWithFormat');
  const d = state.domObj(ref);
  if (!d.active) throw notRunning();
  try {
    fs.writeFileSync(to, SAVE_MAGIC, { mode: 0o600 });
  } catch (e) {
    throw systemError(`domain '${d.name}' coredump: failed to open ${to}`, e);
  }
  // libvirt's test driver writes the file before it looks at the format.
  if (dumpformat !== F.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW)
    throw err(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, 'kdump-compressed format is not supported here');
  if (flags & D.VIR_DUMP_CRASH) {
    shutdownState(d, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED);
    state.emitLifecycle(d, DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_CRASHED);
    if (!d.persistent) state.removeDomain(d);
  }
}
