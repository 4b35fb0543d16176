/** Host capabilities (libvirt's virCaps): what the host is and which guests it can run. */

export interface CapsHostCpu {
  arch: string;
  /** CPU flags listed under <cpu><features> (e.g. `vmx`, `svm`, `pae`). */
  hostFeatures?: string[];
  model?: string;
  vendor?: string;
  microcode?: number;
  topology?: { sockets: number; dies: number; cores: number; threads: number };
  /** CPU model features (`<feature name='...'/>`). */
  features?: string[];
  /** Supported page sizes in KiB. */
  pageSizes?: number[];
}

export interface CapsNumaCpu {
  id: number;
  /** Topology details; written only when siblings are known. */
  socketId?: number;
  dieId?: number;
  coreId?: number;
  siblings?: string;
}

export interface CapsNumaCell {
  id: number;
  /** KiB; 0 = unknown. */
  memory?: bigint;
  pages?: Array<{ size: number; count: bigint }>;
  distances?: Array<{ id: number; value: number }>;
  cpus: CapsNumaCpu[];
}

export interface CapsSecModel {
  model: string;
  doi: string;
  baseLabels?: Array<{ type: string; label: string }>;
}

export interface CapsHost {
  uuid?: string;
  cpu: CapsHostCpu;
  /** suspend_mem, suspend_disk, suspend_hybrid. */
  powerManagement?: Array<'suspend_mem' | 'suspend_disk' | 'suspend_hybrid'>;
  iommu?: boolean;
  migration?: { live: boolean; uriTransports: string[] };
  netprefix?: string;
  numa?: CapsNumaCell[];
  secModels?: CapsSecModel[];
}

export interface CapsMachine {
  name: string;
  canonical?: string;
  maxCpus?: number;
  deprecated?: boolean;
}

export interface CapsGuestDomain {
  /** Domain (virt) type: `qemu`, `kvm`, `xen`, `lxc`, `test`, ... */
  type: string;
  emulator?: string;
  loader?: string;
  machines?: CapsMachine[];
}

/** Guest features in libvirt's fixed order. */
export const GUEST_FEATURES = [
  'pae',
  'nonpae',
  'ia64_be',
  'acpi',
  'apic',
  'cpuselection',
  'deviceboot',
  'disksnapshot',
  'hap',
  'externalSnapshot',
] as const;
export type GuestFeatureName = (typeof GUEST_FEATURES)[number];

export interface CapsGuestFeature {
  /** `default='on|off'`. */
  default?: 'on' | 'off';
  /** `toggle='yes|no'`. */
  toggle?: 'yes' | 'no';
}

export interface CapsGuest {
  osType: string;
  arch: string;
  wordsize: number;
  emulator?: string;
  loader?: string;
  machines: CapsMachine[];
  domains: CapsGuestDomain[];
  features: Partial<Record<GuestFeatureName, CapsGuestFeature>>;
}

export interface Capabilities {
  host: CapsHost;
  guests: CapsGuest[];
  /** Storage pool types the host supports (`<pool><enum name='type'>`). */
  pools?: string[];
}
