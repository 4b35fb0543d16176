import { type DomainDef, type DomainParseHooks } from '@virtkit/xml';
import { qemuDeviceDefaults, qemuDomainDefPostParse } from './defaults';
import { assignPciAddresses } from './pci';
import { assignVirtioSerialAddresses } from './virtio-serial';

export { qemuDomainDefPostParse } from './defaults';
export { assignPciAddresses } from './pci';
export { isI440FX, isQ35, isX86 } from './machine';

/** Address assignment (qemuDomainAssignAddresses). */
export function qemuDomainAssignAddresses(def: DomainDef): void {
  qemuDeviceDefaults(def);
  assignVirtioSerialAddresses(def);
  assignPciAddresses(def);
}

/** Parse hooks that make parseDomainXml behave like the QEMU driver's parser. */
export function qemuParseHooks(inactive: boolean): DomainParseHooks {
  return { inactive, postParse: qemuDomainDefPostParse, assignAddresses: qemuDomainAssignAddresses, firmwareAutoselect: true };
}
