/**
 * The domain XML model: parse, post-parse, validate and format `<domain>` documents in libvirt
 * 9.0's conventions.
 */
import { parseXml, type XmlElement } from '../tree';
import { domainDefParseDefaults, domainDefPostParseCommon } from './defaults';
import { formatDomainDef } from './format';
import { fillGenid } from './genid';
import { parseDomainElement } from './parse';
import type { DomainDef, DomainFormatOptions, DomainParseOptions } from './types';
import { validateDomainDef } from './validate';

export * from './types';
export { parseAddress, addressElement, ensureAddressSlot, setDeviceAlias } from './address';
export { appendController, insertController, ensureController, findController, newController, OS_CHILD_ORDER } from './defaults';
export { parseDevice, devicesOf } from './devices';
export { defaultDiskBus, diskNameToIndex } from './disk';
export { checkAbiStability } from './abi';
export {
  IOTUNE_FIELDS,
  IOTUNE_MAX,
  IOTUNE_RATES,
  applyIotune,
  diskIotune,
  hasIotune,
  iotuneParams,
  noIotune,
  setDiskIotune,
  type IoTune,
} from './iotune';
export { formatDomainDef, writeDomain, deviceElement, TOP_ORDER } from './format';
export { normalizeFeatures, PROCESS_CAPS } from './features';
export { normalizeVideos } from './graphics';
export { onlineVcpus, setOnlineVcpus, setMaximumVcpus } from './vcpu-counts';
export {
  NUMATUNE_MODES,
  numaParameters,
  numaParamsRequest,
  numatuneMemory,
  setNumatuneMemory,
  type NumatuneMemory,
  type NumatuneMode,
} from './numatune';
export { mkEl, orderAttrs, insertChildOrdered, parseBitmap, formatBitmap, cloneEl } from './node';

export interface DomainParseHooks extends DomainParseOptions {
  /** Host architecture used when `<os><type>` names none (default x86_64). */
  hostArch?: string;
  /** Driver post-parse (default devices), run before the generic post-parse as libvirt does. */
  postParse?: (def: DomainDef) => void;
  /** Driver address assignment, run after the generic post-parse. */
  assignAddresses?: (def: DomainDef) => void;
  /** Driver validation, run after post-parse. */
  validate?: (def: DomainDef) => void;
  /** The driver selects firmware itself (VIR_DOMAIN_DEF_FEATURE_FW_AUTOSELECT: QEMU). */
  firmwareAutoselect?: boolean;
}

/** Parse, post-process and validate domain XML (text, or a `<domain>` element already read, which is adopted). */
export function parseDomainXml(text: string | XmlElement, opts: DomainParseHooks): DomainDef {
  const def = parseDomainElement(typeof text === 'string' ? parseXml(text) : text, opts);
  fillGenid(def, opts.randomBytes);
  domainDefParseDefaults(def, opts.hostArch);
  opts.postParse?.(def);
  domainDefPostParseCommon(def);
  opts.assignAddresses?.(def);
  validateDomainDef(def, { firmwareAutoselect: opts.firmwareAutoselect ?? false });
  opts.validate?.(def);
  return def;
}

/** Format a definition as libvirt 9.0 does. */
export function formatDomainXml(def: DomainDef, opts: DomainFormatOptions = {}): string {
  return formatDomainDef(def, opts);
}

/** Target names of the disks (`vda`, `hdc`, ...), in device order. */
export function domainDiskTargets(def: DomainDef): string[] {
  return def.devices.filter((d) => d.disk).map((d) => d.disk!.targetDev);
}

/** The disk with this target name, if any. */
export function domainDiskByTarget(def: DomainDef, dev: string) {
  return def.devices.find((d) => d.disk?.targetDev === dev)?.disk;
}

/** virDomainDiskByName: the disk device named by its target or its source path, if any. */
export function domainDiskByName(def: DomainDef, name: string) {
  return def.devices.find((d) => d.disk && (d.disk.targetDev === name || d.disk.source.path === name));
}
export { CHR_TYPES as CHARDEV_TYPES } from './chardev';
export { getDomainMetadata, setDomainMetadata } from './metadata';
export { DomainTaintFlag, TAINT_MESSAGES, taintMessages, type Taint } from './taint';
