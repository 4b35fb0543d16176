/** Where a device change applies: libvirt's virDomainObjUpdateModificationImpact. */
import { DomainDeviceModifyFlags as F, VirError } from '@virtkit/core';
import type { QemuDomainObj } from '../domains/obj';
import { FROM_QEMU, notRunning } from '../domains/errors';

export interface Impact {
  live: boolean;
  config: boolean;
}

/**
 * CURRENT means the running domain when it runs, else its persistent definition; LIVE needs a
 * running domain and CONFIG a persistent one.
 */
export function modificationImpact(obj: QemuDomainObj, flags: number): Impact {
  let live = (flags & F.VIR_DOMAIN_DEVICE_MODIFY_LIVE) !== 0;
  let config = (flags & F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG) !== 0;
  if (!live && !config) {
    if (obj.active) live = true;
    else config = true;
  }
  if (live && !obj.active) throw notRunning();
  if (config && !obj.persistent) throw VirError.operationInvalid('transient domains do not have any persistent config', FROM_QEMU);
  return { live, config };
}
