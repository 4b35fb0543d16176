/**
 * Memory sizes of Xen domains (libxlDomainSetMemoryFlags): the balloon target and the maximum,
 * live through the toolstack and persistent in the definition. A live maximum goes to the
 * hypervisor only: libvirt leaves the running definition's `<memory>` as it was, and so does this.
 */
import { DomainMemoryModFlags, ErrorNumber } from '@virtkit/core';
import { libxlError } from '../errors';
import type { XenDriver } from '../xen-driver';
import type { XenDomainObj } from './obj';

const LIVE = DomainMemoryModFlags.VIR_DOMAIN_MEM_LIVE;
const CONFIG = DomainMemoryModFlags.VIR_DOMAIN_MEM_CONFIG;
const MAXIMUM = DomainMemoryModFlags.VIR_DOMAIN_MEM_MAXIMUM;

const opInvalid = (detail: string) => libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, detail);

/** CURRENT resolved to LIVE or CONFIG, and each checked against the domain (virDomainObjUpdateModificationImpact). */
function modificationImpact(obj: XenDomainObj, flags: number): number {
  if (!(flags & (LIVE | CONFIG))) flags |= obj.active ? LIVE : CONFIG;
  if (flags & LIVE && !obj.active) throw opInvalid('domain is not running');
  if (flags & CONFIG && !obj.persistent) throw opInvalid('transient domains do not have any persistent config');
  return flags;
}

/** Set the balloon target, or with MAXIMUM the maximum, in KiB, per LIVE/CONFIG/CURRENT. */
export async function setMemory(d: XenDriver, obj: XenDomainObj, kib: bigint, flags: number): Promise<void> {
  flags = modificationImpact(obj, flags);
  const domid = obj.domid;
  if (flags & MAXIMUM) {
    if (flags & LIVE) {
      await d.xl.setMaxMemory(domid, kib).catch(() => {
        throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Failed to set maximum memory for domain '${domid}' with libxenlight`);
      });
    }
    if (flags & CONFIG) {
      const persistent = obj.persistent!;
      persistent.memory = kib;
      if (persistent.currentMemory > kib) persistent.currentMemory = kib;
      await d.saveConfig(persistent);
    }
    return;
  }
  if (kib > obj.def.memory) throw libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, 'cannot set memory higher than max memory');
  if (flags & LIVE) {
    await d.xl.setMemory(domid, kib).catch(() => {
      throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Failed to set memory for domain '${domid}' with libxenlight`);
    });
    obj.live!.currentMemory = kib;
    await d.saveStatus(obj);
  }
  if (flags & CONFIG) {
    obj.persistent!.currentMemory = kib;
    await d.saveConfig(obj.persistent!);
  }
}
