import { parseXml, type XmlElement } from '@virtkit/xml';
import type { QemuAccel, QemuCaps, QemuCpuModel, QemuCpuProperty, QemuMachineType } from './types';

const ACCELS: QemuAccel[] = ['kvm', 'tcg'];

function machineOf(el: XmlElement): QemuMachineType {
  return {
    name: el.attr('name') ?? '',
    alias: el.attr('alias'),
    maxCpus: Number(el.attr('maxCpus') ?? '0'),
    hotplugCpus: el.attr('hotplugCpus') === 'yes',
    isDefault: el.attr('default') === 'yes',
    defaultCPU: el.attr('defaultCPU'),
    defaultRAMid: el.attr('defaultRAMid'),
    numaMemSupported: el.attr('numaMemSupported') === 'yes',
    deprecated: el.attr('deprecated') === 'yes',
    acpi: el.attr('acpi') === undefined ? undefined : el.attr('acpi') === 'yes',
  };
}

function cpuOf(el: XmlElement): QemuCpuModel {
  const usable = el.attr('usable');
  return {
    name: el.attr('name') ?? '',
    typename: el.attr('typename'),
    usable: usable === 'yes' ? 'yes' : usable === 'no' ? 'no' : 'unknown',
    blockers: el.elements('blocker').map((b) => b.attr('name') ?? ''),
    deprecated: el.attr('deprecated') === 'yes',
  };
}

function cpuPropertyOf(el: XmlElement): QemuCpuProperty {
  const raw = el.attr('value') ?? '';
  const type = el.attr('type');
  const value = type === 'boolean' ? raw === 'true' : type === 'number' ? Number(raw) : raw;
  const mig = el.attr('migratable');
  return { name: el.attr('name') ?? '', value, migratable: mig === undefined ? undefined : mig === 'yes' };
}

export interface LoadCapsOptions {
  /**
   * Replace every aliased machine by an extra machine named after the alias with identical
   * properties, dropping the alias link (the test suite's "latest" capabilities handling).
   */
  flattenAliases?: boolean;
}

/** Parse capability-cache XML text. */
export function parseQemuCapsXml(text: string, opts: LoadCapsOptions = {}): QemuCaps {
  const root = parseXml(text);
  const num = (name: string) => Number(root.childText(name)?.trim() ?? '0');
  const caps: QemuCaps = {
    emulator: root.childText('emulator')?.trim() ?? '',
    version: num('version'),
    kvmVersion: num('kvmVersion'),
    package: root.childText('package')?.trim() ?? '',
    arch: root.childText('arch')?.trim() ?? '',
    flags: new Set(root.elements('flag').map((f) => f.attr('name') ?? '')),
    machines: { kvm: [], tcg: [] },
    cpuModels: { kvm: [], tcg: [] },
    hostCpuModel: {},
    hostCpuProps: {},
    hypervCaps:
      root
        .element('hypervCapabilities')
        ?.elements('cap')
        .map((c) => c.attr('name') ?? '') ?? [],
    kvmSupportsSecureGuest: root.element('kvmSupportsSecureGuest') !== undefined,
  };
  for (const el of root.elements('machine')) {
    const accel = el.attr('type') as QemuAccel;
    if (ACCELS.includes(accel)) caps.machines[accel].push(machineOf(el));
  }
  for (const el of root.elements('cpu')) {
    const accel = el.attr('type') as QemuAccel;
    if (ACCELS.includes(accel)) caps.cpuModels[accel].push(cpuOf(el));
  }
  for (const el of root.elements('hostCPU')) {
    const accel = el.attr('type') as QemuAccel;
    if (!ACCELS.includes(accel)) continue;
    if (el.attr('model')) caps.hostCpuModel[accel] = el.attr('model');
    caps.hostCpuProps![accel] = el.elements('property').map(cpuPropertyOf);
  }
  if (caps.flags.has('confidential-guest-support') && caps.flags.has('s390-pv-guest')) caps.kvmSupportsSecureGuest = true;
  if (opts.flattenAliases) {
    for (const accel of ACCELS) {
      const list = caps.machines[accel];
      for (const m of [...list]) {
        if (!m.alias) continue;
        list.push({ ...m, name: m.alias, alias: undefined });
        m.alias = undefined;
      }
    }
  }
  return caps;
}
