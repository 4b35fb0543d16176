/**
 * testDomainGetDiskErrors: libvirt's test driver makes up an error for every disk of a running
 * domain, alternating "unspecified" and "no space" in disk order.
 */
import { DomainDiskErrorCode as E, type DomainDiskError, type DomainRef } from '@virtkit/core';
import { checkFlags, notRunning } from './errors';
import type { TestState } from './state';

/** VIR_DOMAIN_DISK_ERROR_LAST - 1: the number of real error codes the made-up errors cycle through. */
const ERROR_KINDS = E.VIR_DOMAIN_DISK_ERROR_NO_SPACE;

export function getDiskErrors(state: TestState, ref: DomainRef, flags: number): DomainDiskError[] {
  checkFlags(flags, 0, 'testDomainGetDiskErrors');
  const obj = state.domObj(ref);
  if (!obj.active) throw notRunning();
  const disks = obj.def.devices.filter((d) => d.kind === 'disk' && d.disk);
  return disks.map((d, i) => ({ disk: d.disk!.targetDev, error: (i % ERROR_KINDS) + 1 }));
}
