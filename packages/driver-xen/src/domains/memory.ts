/**
 * Memory sizes of Xen domains (libxlDomainSetMemoryFlags): the balloon target and the maximum,
 * live through the toolstack and persistent in the definition. A live maximum goes to the
 * hypervisor only: libvirt leaves the running definition's `<memory>` as it was, and so does this.
 */
import { DomainMemoryModFlags, ErrorNumber, modificationImpact } from '@virtkit/core';
import { libxlError } from '../errors';
import type { XenDriver } from '../xen-driver';
import type { XenDomainObj } from './obj';

const MAXIMUM = DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM;

/** Set the balloon target, or with MAXIMUM the maximum, in KiB, per LIVE/CONFIG/CURRENT. */
export async function setMemory(d: XenDriver, obj: XenDomainObj, kib: bigint, flags: number): Promise<void> {
  const { live, config } = modificationImpact({ active: obj.active, persistent: obj.persistent !== null }, flags);
  const domid = obj.domid;
  if (flags & MAXIMUM) {
    if (live) {
      await d.xl.setMaxMemory(domid, kib).catch(() => {
        throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Failed to set maximum memory for domain '${domid}' with libxenlight`);
      });
    }
    if (config) {
      const persistent = obj.persistent!;
      persistent.memory = kib;
      if (persistent.currentMemory > kib) persistent.currentMemory = kib;
      await d.saveConfig(persistent);
    }
    return;
  }
  if (kib > obj.def.memory) throw libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, 'cannot set memory higher than max memory');
  if (live) {
    await d.xl.setMemory(domid, kib).catch(() => {
      throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Failed to set memory for domain '${domid}' with libxenlight`);
    });
    obj.live!.currentMemory = kib;
    await d.saveStatus(obj);
  }
  if (config) {
    obj.persistent!.currentMemory = kib;
    await d.saveConfig(obj.persistent!);
  }
}
