/**
 * vCPU counts of Xen domains (libxlDomainSetVcpusFlags / libxlDomainGetVcpusFlags): the running
 * count through the toolstack, the persistent and maximum counts in the definitions.
 */
import { DomainVcpuFlags, ErrorNumber } from '@virtkit/core';
import { onlineVcpus, setMaximumVcpus, setOnlineVcpus, type DomainDef } from '@virtkit/xml';
import { libxlError } from '../errors';
import type { XenDriver } from '../xen-driver';
import type { XenDomainObj } from './obj';

const LIVE = DomainVcpuFlags.VIR_DOMAIN_VCPU_LIVE;
const CONFIG = DomainVcpuFlags.VIR_DOMAIN_VCPU_CONFIG;
const MAXIMUM = DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM;

const invalidFlags = (flags: number) => libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, `invalid flag combination: (0x${flags.toString(16)})`);
const opInvalid = (detail: string) => libxlError(ErrorNumber.VIR_ERR_OPERATION_INVALID, detail);

/**
 * Set the running, persistent or maximum count. libxl needs LIVE or CONFIG named (it predates
 * VIR_DOMAIN_AFFECT_CURRENT) and has no live maximum.
 */
export async function setVcpus(d: XenDriver, obj: XenDomainObj, n: number, flags: number, hostMax: number): Promise<void> {
  if (!(flags & (LIVE | CONFIG)) || (flags & (MAXIMUM | LIVE)) === (MAXIMUM | LIVE)) throw invalidFlags(flags);
  if (!n) throw libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, 'nvcpus is zero');
  if (!obj.active && flags & LIVE) throw opInvalid('cannot set vcpus on an inactive domain');
  if (!obj.persistent && flags & CONFIG) throw opInvalid('cannot change persistent config of a transient domain');
  const max = flags & MAXIMUM ? hostMax : Math.min(hostMax, obj.def.vcpu);
  if (n > max) {
    throw libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, `requested vcpus is greater than max allowable vcpus for the domain: ${n} > ${max}`);
  }
  if (flags & LIVE) {
    await d.xl.setVcpus(obj.domid, n).catch(() => {
      throw libxlError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Failed to set vcpus for domain '${obj.domid}' with libxenlight`);
    });
    setOnlineVcpus(obj.live!, n);
    await d.saveStatus(obj);
  }
  if (flags & CONFIG) {
    const persistent = obj.persistent!;
    if (flags & MAXIMUM) setMaximumVcpus(persistent, n);
    else setOnlineVcpus(persistent, n);
    await d.saveConfig(persistent);
  }
}

/** The running (LIVE), persistent (CONFIG) or, with MAXIMUM, maximum count; neither named means the current state's. */
export function getVcpus(obj: XenDomainObj, flags: number): number {
  if (!(flags & (LIVE | CONFIG))) flags |= obj.active ? LIVE : CONFIG;
  if (flags & LIVE && flags & CONFIG) throw invalidFlags(flags);
  let def: DomainDef;
  if (flags & LIVE) {
    if (!obj.active) throw opInvalid('Domain is not running');
    def = obj.live!;
  } else {
    if (!obj.persistent) throw opInvalid('domain is transient');
    def = obj.persistent;
  }
  return flags & MAXIMUM ? def.vcpu : onlineVcpus(def);
}
