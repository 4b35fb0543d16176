/**
 * The domain definition model (libvirt's virDomainDef), typed where virtkit understands the
 * element and kept as preserved element subtrees elsewhere. Preserved subtrees are re-emitted in
 * libvirt's fixed position, so unknown content survives a round trip.
 */
import type { XmlElement } from '../tree';

/** Guest address of a device (virDomainDeviceInfo's address union). */
export type DeviceAddress =
  | { type: 'pci'; domain: number; bus: number; slot: number; function: number; multifunction?: 'on' | 'off'; extra?: XmlElement[] }
  | { type: 'drive'; controller: number; bus: number; target: number; unit: number }
  | { type: 'virtio-serial'; controller: number; bus: number; port?: number }
  | { type: 'ccid'; controller: number; slot: number }
  | { type: 'usb'; bus: number; port?: string }
  | { type: 'other'; typeName: string; attrs: Map<string, string>; children: XmlElement[] };

/** Device kinds, by element name under `<devices>`. */
export const DEVICE_ORDER = [
  'disk',
  'controller',
  'lease',
  'filesystem',
  'interface',
  'smartcard',
  'serial',
  'parallel',
  'console',
  'channel',
  'input',
  'tpm',
  'graphics',
  'sound',
  'audio',
  'video',
  'hostdev',
  'redirdev',
  'redirfilter',
  'hub',
  'watchdog',
  'memballoon',
  'rng',
  'nvram',
  'panic',
  'shmem',
  'memory',
  'iommu',
  'vsock',
  'crypto',
] as const;

/**
 * One device. `el` is the element as read (whitespace dropped); its `<address>` child, if any,
 * stands in for `address`, which the formatter writes in its place. A device without one gets
 * its address written where libvirt's device-info block goes.
 */
export interface DomainDevice {
  kind: string;
  el: XmlElement;
  address?: DeviceAddress;
  /** Typed view of a disk (kind `disk`). */
  disk?: DiskDef;
  /** Typed view of a controller (kind `controller`). */
  controller?: ControllerDef;
  /** A problem found while parsing that libvirt reports at validation time; thrown by validation. */
  invalid?: Error;
}

export interface DiskSourceInfo {
  /** Storage type: file, block, dir, network, volume, nvme, vhostuser, vhostvdpa. */
  type: string;
  /** File/device/dir path or network name, when there is one. */
  path?: string;
  protocol?: string;
  /** `<driver type>` of this layer (image format). */
  format?: string;
}

export interface DiskDef {
  /** Storage type of the top image (`type` attribute). */
  type: string;
  /** `device` attribute: disk, cdrom, floppy, lun. */
  device: string;
  targetDev: string;
  targetBus?: string;
  source: DiskSourceInfo;
  /** `<driver type>` of the top image. */
  driverType?: string;
  driverName?: string;
  /** Backing chain below the top image, nearest first. */
  backingStore: DiskSourceInfo[];
}

export interface ControllerDef {
  type: string;
  index: number;
  model?: string;
}

/** libvirt's virDomainDef, as far as virtkit models it. */
export interface DomainDef {
  /** Hypervisor type (`type` attribute of `<domain>`). */
  virtType: string;
  /** Runtime id; -1 when inactive. */
  id: number;
  name: string;
  uuid: string;
  title?: string;
  description?: string;
  /** Maximum memory in KiB (`<memory>`). */
  memory: bigint;
  /** Current memory in KiB (`<currentMemory>`). */
  currentMemory: bigint;
  /** Extra attributes of `<memory>` (dumpCore). */
  memoryDumpCore?: string;
  /** Number of vCPUs (maximum). */
  vcpu: number;
  /** The `<vcpu>` element's other attributes, in libvirt's order. */
  vcpuPlacement?: string;
  vcpuCpuset?: string;
  vcpuCurrent?: number;
  os: OsDef;
  clockOffset?: XmlElement;
  onPoweroff?: string;
  onReboot?: string;
  onCrash?: string;
  emulator?: string;
  devices: DomainDevice[];
  /** Top-level elements kept as read, by element name (several for sysinfo, seclabel, ...). */
  preserved: Map<string, XmlElement[]>;
  /** Extra attributes of `<domain>` (namespace declarations), in document order. */
  rootAttrs: Array<[string, string]>;
  /** Namespace elements (qemu:commandline, ...), written last. */
  namespaceEls: XmlElement[];
}

export interface OsDef {
  /** `hvm`, `xen`, `linux`, `exe`, ... */
  type: string;
  arch?: string;
  machine?: string;
  /** The `<os>` element as read (children other than `<type>` are kept and written back). */
  el: XmlElement;
}

export interface DomainParseOptions {
  /** Parse a persistent definition: runtime-only data (id, aliases) are dropped. */
  inactive: boolean;
  /**
   * VIR_DOMAIN_DEF_PARSE_ABI_UPDATE: a new definition (QEMU define and create). Without it, firmware
   * features of a domain without `<os firmware>` are ignored, as libvirt 9.0 (Debian) does for XML
   * that libvirt 8.6 to 9.1 wrote for migration.
   */
  abiUpdate?: boolean;
  /**
   * libvirt's virRandomBytes, for what the parser generates (an empty `<genid/>`); system
   * randomness by default, a fixed sequence in test harnesses.
   */
  randomBytes?: (n: number) => Uint8Array;
}

export interface DomainFormatOptions {
  inactive?: boolean;
  /** Include secrets such as graphics passwords. */
  secure?: boolean;
  migratable?: boolean;
}
