/**
 * The capabilities of one QEMU binary (libvirt's virQEMUCaps), as the command-line builder and
 * the validator consume them. Filled either from libvirt's capability-cache XML
 * (`libvirt-xml.ts`, used by the test corpus) or from a live QMP probe of the binary.
 *
 * Everything here is plain data so both producers can build it without sharing code.
 */

/** Accelerator a capability list belongs to (libvirt keeps separate KVM and TCG lists). */
export type QemuAccel = 'kvm' | 'tcg';

/** One machine type (`query-machines`). */
export interface QemuMachineType {
  /** Canonical name, e.g. `pc-i440fx-8.0` (or an alias name after alias flattening). */
  name: string;
  /** Alias such as `pc` / `q35`; undefined once aliases are flattened. */
  alias?: string;
  maxCpus: number;
  hotplugCpus: boolean;
  /** This is the binary's default machine type. */
  isDefault: boolean;
  /** QOM type name of the default CPU model (`qemu64-x86_64-cpu`). */
  defaultCPU?: string;
  /** Id of the default RAM backend (`pc.ram`); its presence means `-machine memory-backend=` works. */
  defaultRAMid?: string;
  /** `-numa node,mem=` still accepted (old machine types). */
  numaMemSupported: boolean;
  deprecated: boolean;
  acpi?: boolean;
}

/** One CPU model (`query-cpu-definitions`). */
export interface QemuCpuModel {
  name: string;
  typename?: string;
  /** `yes` / `no` / `unknown` as reported for the accelerator. */
  usable: 'yes' | 'no' | 'unknown';
  /** Features blocking the model when not usable. */
  blockers: string[];
  deprecated: boolean;
}

/** One property of the host CPU model expansion (`query-cpu-model-expansion` of `host` / `max`). */
export interface QemuCpuProperty {
  name: string;
  value: boolean | number | string;
  /** For features that are on: whether they survive migration (absent when not reported). */
  migratable?: boolean;
}

/** Capabilities of one QEMU binary. */
export interface QemuCaps {
  /** Binary path (`/usr/bin/qemu-system-x86_64`). */
  emulator: string;
  /** major × 1 000 000 + minor × 1 000 + micro. */
  version: number;
  kvmVersion: number;
  /** Vendor package string (`v7.2.0-333-g...`). */
  package: string;
  /** Guest architecture of the binary (libvirt arch name: x86_64, aarch64, ...). */
  arch: string;
  /**
   * Capability flags by libvirt's names (`machine-hpet`, `device.json`, `virtio-scsi-pci`, ...): see
   * virQEMUCapsFlags in libvirt's qemu_capabilities.c.
   */
  flags: Set<string>;
  /** Machine types per accelerator. */
  machines: Record<QemuAccel, QemuMachineType[]>;
  /** CPU models per accelerator. */
  cpuModels: Record<QemuAccel, QemuCpuModel[]>;
  /** Model name of the host-model CPU per accelerator (`hostCPU/@model`), when probed. */
  hostCpuModel: Partial<Record<QemuAccel, string>>;
  /** Properties of the host CPU model expansion per accelerator (features, vendor, signature). */
  hostCpuProps?: Partial<Record<QemuAccel, QemuCpuProperty[]>>;
  /** Hyper-V enlightenments the binary supports (`hypervCapabilities`). */
  hypervCaps: string[];
  /** `<kvmSupportsSecureGuest/>`. */
  kvmSupportsSecureGuest: boolean;
}

/** Whether `caps` has a capability flag. */
export function hasCap(caps: QemuCaps, flag: string): boolean {
  return caps.flags.has(flag);
}

/** The machine type entry for `name` under the accelerator, if the binary knows it. */
export function findMachine(caps: QemuCaps, accel: QemuAccel, name: string): QemuMachineType | undefined {
  return caps.machines[accel].find((m) => m.name === name || m.alias === name);
}

/** The default machine type for the accelerator. */
export function defaultMachine(caps: QemuCaps, accel: QemuAccel): QemuMachineType | undefined {
  return caps.machines[accel].find((m) => m.isDefault);
}
