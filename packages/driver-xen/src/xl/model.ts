/**
 * The part of libvirt's virDomainDef that the xl.cfg conversion reads and writes. Both
 * directions go through it: xl.cfg → XenDomain → domain XML, and domain XML → XenDomain → xl.cfg,
 * as libvirt's xenParseXL/xenFormatXL do with virDomainDef.
 */

export type XenOsType = 'hvm' | 'xen' | 'xenpvh';
export type Tristate = 'on' | 'off';
export type FeaturePolicy = 'force' | 'require' | 'optional' | 'disable' | 'forbid';

export interface XenTimer {
  name: string;
  present?: boolean;
  mode?: string;
}

export interface XenNumaCell {
  cpus: string;
  memoryKiB: bigint;
  /** Distances to every cell, by cell id; empty when the config gave none. */
  distances: number[];
}

export interface XenCpu {
  mode?: 'host-passthrough' | 'host-model' | 'custom' | 'maximum';
  features: Array<{ name: string; policy: FeaturePolicy }>;
  numa: XenNumaCell[];
}

/** A character device (libvirt's virDomainChrSourceDef plus its target). */
export interface XenChr {
  type: string;
  path?: string;
  /** tcp: host/service, listen, telnet. udp: connect and bind ends. unix: listen. */
  host?: string;
  service?: string;
  listen?: boolean;
  telnet?: boolean;
  bindHost?: string;
  bindService?: string;
  port: number;
  /** Channel target name (xen channels). */
  targetName?: string;
}

export interface XenDisk {
  /** Storage type: file, block, network. */
  type: string;
  device: 'disk' | 'cdrom' | 'floppy';
  driverName?: string;
  format?: string;
  path?: string;
  /** Network source (rbd). */
  protocol?: string;
  rbdName?: string;
  hosts: Array<{ name: string; port?: string }>;
  rbdUser?: string;
  dst: string;
  bus: string;
  readonly: boolean;
  shareable: boolean;
  transient: boolean;
}

export interface XenNet {
  type: 'bridge' | 'ethernet' | 'network';
  mac?: string;
  bridge?: string;
  network?: string;
  vlanTags: number[];
  vlanTrunk: boolean;
  openvswitch: boolean;
  ips: string[];
  script?: string;
  model?: string;
  ifname?: string;
  /** Outbound average rate in KiB/s. */
  rateOut?: bigint;
}

export interface XenGraphics {
  type: 'vnc' | 'sdl' | 'spice';
  autoport: boolean;
  port: number;
  tlsPort?: number;
  listen?: string;
  passwd?: string;
  keymap?: string;
  display?: string;
  xauth?: string;
  mouseMode?: 'server' | 'client';
  copypaste?: boolean;
}

export interface XenPciHostdev {
  domain: number;
  bus: number;
  slot: number;
  fn: number;
  /** writeFiltering: permissive=0 → true, permissive=1 → false. */
  writeFiltering?: boolean;
}

export interface XenUsbController {
  /** qusb1 or qusb2 for Xen's PV USB; other models cannot be written to xl.cfg. */
  model?: string;
  ports?: number;
}

export interface XenDomain {
  name: string;
  uuid: string;
  osType: XenOsType;
  arch: string;
  machine: string;
  memoryKiB: bigint;
  currentMemoryKiB: bigint;
  vcpus: number;
  maxVcpus: number;
  cpumask?: string;
  onPoweroff: string;
  onReboot: string;
  onCrash: string;
  features: {
    pae?: boolean;
    acpi?: boolean;
    apic?: boolean;
    /** Only `false` is recorded, as libvirt's parser does. */
    hap?: boolean;
    viridian?: boolean;
    xen?: Tristate;
    e820Host?: Tristate;
    passthrough?: Tristate;
    passthroughMode?: string;
  };
  clock: { offset: 'variable' | 'utc' | 'localtime'; adjustment?: number; basis?: 'utc' | 'localtime'; reset?: boolean };
  timers: XenTimer[];
  emulator?: string;
  loader?: { type?: 'rom' | 'pflash'; readonly?: boolean; path?: string };
  slicTable?: string;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  bootloader?: string;
  bootloaderArgs?: string;
  bootDevs: string[];
  cpu?: XenCpu;
  disks: XenDisk[];
  nets: XenNet[];
  pciHostdevs: XenPciHostdev[];
  usbHostdevs: Array<{ bus: number; device: number }>;
  usbControllers: XenUsbController[];
  xenbus?: { maxEventChannels?: number; maxGrantFrames?: number };
  sounds: string[];
  graphics: XenGraphics[];
  serials: XenChr[];
  parallels: XenChr[];
  /** PV consoles. */
  consoles: XenChr[];
  channels: XenChr[];
  inputs: Array<{ type: string; bus: string }>;
  /** `xen:commandline` arguments for the device model. */
  deviceModelArgs: string[];
}
