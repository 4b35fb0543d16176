import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseBitmap, type DomainDef, type DomainDevice, type XmlElement } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { diskHasSource } from './disk';
import { validateQemuDisk } from './disk-validate';
import type { QemuBuildContext } from './types';
import { isQ35Machine } from './util';

export const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, detail);
const detail = (text: string) => VirError.create(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_DOMAIN, text);

/** The emulator binary must support the guest architecture and virt type (checked at post-parse). */
export function validateEmulator(def: DomainDef, caps: QemuCaps): void {
  const arch = def.os.arch ?? caps.arch;
  const emulator = def.emulator ?? `/usr/bin/qemu-system-${arch === 'i686' ? 'i386' : arch}`;
  // Only the binary `caps` describes has capabilities; an x86_64 binary also runs i686 guests.
  const archOk = emulator === caps.emulator && (arch === caps.arch || (caps.arch === 'x86_64' && arch === 'i686'));
  if (!archOk) throw unsupported(`Emulator '${emulator}' does not support arch '${arch}'`);
  if (def.virtType !== 'qemu' && def.virtType !== 'kvm') {
    throw unsupported(`Emulator '${emulator}' does not support virt type '${def.virtType}'`);
  }
}

function validateOs(def: DomainDef): void {
  const os = def.os.el;
  const menu = os.element('bootmenu');
  const t = menu?.attr('timeout');
  if (menu?.attr('enable') === 'yes' && t !== undefined && (!/^\d+$/.test(t) || Number(t) > 65535)) {
    throw unsupported('invalid value for boot menu timeout, must be in range [0,65535]');
  }
  if (os.elements('boot').length && def.devices.some((d) => d.el.element('boot')?.attr('order') !== undefined)) {
    throw unsupported('per-device boot elements cannot be used together with os/boot elements');
  }
  const fw = os.attr('firmware');
  if (fw) {
    const feats = new Map((os.element('firmware')?.elements('feature') ?? []).map((f) => [f.attr('name'), f.attr('enabled')]));
    if (feats.get('enrolled-keys') === 'yes' && feats.get('secure-boot') === 'no') {
      throw detail("firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled");
    }
  }
}

function validateMemory(def: DomainDef): void {
  const hp = def.preserved.get('memoryBacking')?.[0]?.element('hugepages');
  const cells = def.preserved.get('cpu')?.[0]?.element('numa')?.elements('cell') ?? [];
  const ids = new Set(cells.map((c, i) => Number(c.attr('id') ?? i)));
  for (const p of hp?.elements('page') ?? []) {
    const ns = p.attr('nodeset');
    if (ns === undefined) continue;
    for (const n of parseBitmap(ns) ?? []) {
      if (!ids.has(n)) throw detail(`hugepages: node ${n} not found`);
    }
  }
  const tseg = def.preserved.get('features')?.[0]?.element('smm')?.element('tseg');
  if (tseg) {
    const mult: Record<string, number> = { b: 1, bytes: 1, k: 1024, kib: 1024, m: 1 << 20, mib: 1 << 20, g: 1 << 30, gib: 1 << 30 };
    const bytes = Number(tseg.text().trim()) * (mult[(tseg.attr('unit') ?? 'MiB').toLowerCase()] ?? 1 << 20);
    if (bytes % (1 << 20) !== 0) throw unsupported('SMM TSEG size must be divisible by 1 MiB');
  }
}

/** qemuValidateDomainDeviceDefNetwork: vhost-vdpa needs QEMU's netdev and a virtio model. */
function vdpaChecks(el: XmlElement, caps: QemuCaps): void {
  if (!caps.flags.has('netdev.vhost-vdpa')) throw unsupported('vDPA devices are not supported with this QEMU binary');
  const model = el.element('model')?.attr('type') ?? 'virtio';
  if (model !== 'virtio') throw unsupported(`invalid model for interface of type 'vdpa': '${model}'`);
}

function diskChecks(def: DomainDef, d: DomainDevice, caps: QemuCaps): void {
  const disk = d.disk!;
  const el = d.el;
  const src = el.element('source');
  if (src?.element('auth') && el.element('auth')) throw unsupported('an <auth> definition already found for disk source');
  if (src?.element('encryption') && el.element('encryption')) throw unsupported('an <encryption> definition already found for disk source');
  const auth = src?.element('auth') ?? el.element('auth');
  const sec = auth?.element('secret');
  if (auth && sec && sec.attr('type') === undefined) throw unsupported("unknown secret type '<null>'");
  const enc = src?.element('encryption') ?? el.element('encryption');
  if (enc) {
    if (enc.element('cipher') || enc.element('ivgen')) throw unsupported('supplying <cipher> for domain disk definition is unnecessary');
  }
  const bus = disk.targetBus;
  const a = d.address;
  if (a && (bus === 'sata' || bus === 'scsi' || bus === 'ide' || bus === 'fdc') && a.type !== 'drive') {
    throw unsupported(
      `Invalid address type '${a.type === 'other' ? a.typeName : a.type}' for the disk '${disk.targetDev}' with the bus type '${bus}'`,
    );
  }
  validateQemuDisk(def, d, caps, diskHasSource(d));
}

/** The SCSI disk address assignment's check against host devices (virDomainDiskDefAssignAddress, a post-parse step). */
export function scsiHostdevConflicts(def: DomainDef): void {
  const hostdevs = def.devices.filter((d) => d.kind === 'hostdev' && d.el.attr('type') === 'scsi');
  if (!hostdevs.length) return;
  const used = new Set<string>();
  for (const h of hostdevs)
    if (h.address?.type === 'drive') used.add(`${h.address.controller}:${h.address.bus}:${h.address.target}:${h.address.unit}`);
  let unit = 0;
  const assigned: string[] = [...used];
  for (const h of hostdevs) {
    if (h.address) continue;
    while (used.has(`0:0:0:${unit}`)) unit++;
    used.add(`0:0:0:${unit}`);
    assigned.push(`0:0:0:${unit}`);
  }
  for (const d of def.devices) {
    if (!d.disk || d.disk.targetBus !== 'scsi' || d.address?.type !== 'drive') continue;
    const a = d.address;
    const key = `${a.controller}:${a.bus}:${a.target}:${a.unit}`;
    if (assigned.includes(key)) {
      throw unsupported(
        `using disk target name '${d.disk.targetDev}' conflicts with SCSI host device address controller='${a.controller}' bus='${a.bus}' target='${a.target}' unit='${a.unit}`,
      );
    }
  }
}

/** qemuValidateDomainDeviceDefIOMMU: each IOMMU model exists on its machine types only. */
function iommuMachine(def: DomainDef, model: string): void {
  const armVirt = def.os.arch === 'aarch64' && /^virt/.test(def.os.machine ?? '');
  const machines = {
    intel: ['Q35', isQ35Machine(def)],
    smmuv3: ['ARM Virt', armVirt],
    virtio: ['Q35 and ARM Virt', isQ35Machine(def) || armVirt],
  } as const;
  const rule = machines[model as keyof typeof machines];
  if (rule && !rule[1]) throw unsupported(`IOMMU device: '${model}' is only supported with ${rule[0]} machines`);
}

/**
 * qemuValidateDomainDeviceDefTPM: an emulated TPM needs swtpm on the host (virTPMHasSwtpm; both
 * TPM versions are taken as available with swtpm_setup), and TPM 1.2 has no CRB or SPAPR interface.
 */
function tpmChecks(el: XmlElement, ctx: QemuBuildContext): void {
  const backend = el.element('backend');
  if (backend?.attr('type') !== 'emulator') return;
  const model = el.attr('model') ?? 'tpm-tis';
  const version = backend.attr('version') ?? (model === 'tpm-crb' || model === 'tpm-spapr' ? '2.0' : '1.2');
  if (!ctx.findProgram('swtpm') || !ctx.findProgram('swtpm_setup')) throw unsupported(`TPM version '${version}' is not supported`);
  if (version === '1.2' && model === 'tpm-crb') throw unsupported(`Unsupported interface '${model}' for TPM 1.2`);
  if (version === '1.2' && model === 'tpm-spapr') throw unsupported('TPM 1.2 is not supported with the SPAPR device model');
}

function deviceChecks(def: DomainDef, caps: QemuCaps, ctx: QemuBuildContext): void {
  const graphics = def.devices.filter((d) => d.kind === 'graphics');
  if (
    graphics.some((g) => g.el.attr('type') === 'egl-headless') &&
    graphics.some((g) => !['vnc', 'spice', 'egl-headless'].includes(g.el.attr('type') ?? ''))
  ) {
    throw unsupported("graphics type 'egl-headless' is only supported with one of: 'vnc', 'spice' graphics types");
  }
  // '-spice gl=on' and '-display egl-headless' are mutually exclusive.
  if (
    graphics.some((g) => g.el.attr('type') === 'egl-headless') &&
    graphics.some((g) => g.el.attr('type') === 'spice' && g.el.element('gl')?.attr('enable') === 'yes')
  ) {
    throw unsupported('multiple OpenGL displays are not supported by QEMU');
  }
  const features = def.preserved.get('features')?.[0];
  for (const d of def.devices) {
    const el = d.el;
    switch (d.kind) {
      case 'disk':
        diskChecks(def, d, caps);
        break;
      case 'video':
        if (el.element('model')?.attr('type') === 'ramfb' && d.address) throw unsupported('address not supported for video type ramfb');
        break;
      case 'hostdev':
        if (el.attr('type') === 'scsi_host' && el.element('boot'))
          throw unsupported('booting from assigned devices is not supported by vhost SCSI devices');
        break;
      case 'iommu':
        iommuMachine(def, el.attr('model') ?? '');
        if (el.attr('model') === 'virtio') {
          if (!features?.element('acpi')) throw unsupported("IOMMU device: 'virtio' requires ACPI");
          const a = d.address;
          if (a && a.type !== 'pci') throw unsupported("IOMMU device: 'virtio' needs a PCI address");
          if (a?.type === 'pci' && a.bus !== 0) {
            const hx = (n: number, w: number) => n.toString(16).padStart(w, '0');
            throw VirError.xml(
              `The device at PCI address ${hx(a.domain, 4)}:${hx(a.bus, 2)}:${hx(a.slot, 2)}.${a.function} needs to be an integrated device (bus=0)`,
            );
          }
        }
        break;
      case 'tpm':
        tpmChecks(el, ctx);
        break;
      case 'interface':
        if (el.attr('type') === 'vdpa') vdpaChecks(el, caps);
        break;
      case 'filesystem':
        if (el.element('driver')?.attr('type') === 'virtiofs' && el.element('readonly'))
          throw unsupported('virtiofs does not yet support read-only mode');
        break;
      case 'input': {
        const model = el.attr('model');
        if ((model === 'virtio-transitional' || model === 'virtio-non-transitional') && el.attr('type') !== 'passthrough') {
          throw unsupported(`virtio (non-)transitional models are not supported for input type=${el.attr('type')}`);
        }
        break;
      }
      default:
        break;
    }
  }
}

export function qemuValidateDomain(def: DomainDef, caps: QemuCaps, ctx: QemuBuildContext): void {
  validateOs(def);
  validateMemory(def);
  deviceChecks(def, caps, ctx);
}
