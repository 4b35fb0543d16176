import { type DomainDef, type DomainParseHooks } from '@virtkit/xml';
import { qemuDeviceDefaults, qemuDomainDefPostParse } from './defaults';
import { assignPciAddresses } from './pci';
import { addOldStyleNvram } from './nvram';
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

/** The driver configuration the QEMU post-parse reads, when the caller has it. */
export interface QemuParseConfig {
  /** qemu.conf's nvram directory: a read-only UEFI loader without a varstore gets one there. */
  nvramDir?: string;
}

/** Parse hooks that make parseDomainXml behave like the QEMU driver's parser. */
export function qemuParseHooks(inactive: boolean, config: QemuParseConfig = {}): DomainParseHooks {
  const postParse = (def: DomainDef) => {
    qemuDomainDefPostParse(def);
    if (config.nvramDir !== undefined) addOldStyleNvram(def, config.nvramDir);
  };
  return { inactive, postParse, assignAddresses: qemuDomainAssignAddresses, firmwareAutoselect: true };
}
