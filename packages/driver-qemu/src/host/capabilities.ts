/**
 * The QEMU driver's capabilities document (virQEMUCapsInit) built from the probed emulator: the
 * host (CPU topology, NUMA memory, migration transports) and one guest per architecture the
 * binary runs, with its machine types (aliases point at their canonical type) and the `qemu`
 * domain type, plus `kvm` when KVM works here.
 */
import { readFileSync } from 'node:fs';
import { parseUuid } from '@virtkit/core';
import { CapabilitiesBuilder, formatCapabilitiesXml, type CapsMachine } from '@virtkit/xml';
import type { QemuCaps, QemuMachineType } from '../caps/types';
import { kvmAvailable } from '../caps/probe';
import { hostArch, hostCpus, hostMemoryKiB, nodeInfo } from './node-info';

/** The host UUID: SMBIOS when readable, else derived from /etc/machine-id. */
export function hostUuid(): string | undefined {
  for (const f of ['/sys/class/dmi/id/product_uuid', '/etc/machine-id']) {
    try {
      const uuid = parseUuid(readFileSync(f, 'utf8').trim());
      if (uuid) return uuid;
    } catch {
      /* try the next source */
    }
  }
  return undefined;
}

/** Machine types as the capabilities list them: each canonical name, then its alias. */
export function capsMachines(machines: QemuMachineType[]): CapsMachine[] {
  const out: CapsMachine[] = [];
  for (const m of machines) {
    out.push({ name: m.name, maxCpus: m.maxCpus, deprecated: m.deprecated });
    if (m.alias) out.push({ name: m.alias, canonical: m.name, maxCpus: m.maxCpus, deprecated: m.deprecated });
  }
  return out;
}

export function capabilitiesXml(caps: QemuCaps): string {
  const info = nodeInfo();
  const cpus = hostCpus();
  const b = new CapabilitiesBuilder({
    uuid: hostUuid(),
    cpu: {
      arch: hostArch(),
      topology: { sockets: info.sockets, dies: 1, cores: info.cores, threads: info.threads },
      pageSizes: [4, 2048, 1048576],
    },
    powerManagement: [],
    iommu: false,
    migration: { live: true, uriTransports: ['tcp', 'rdma'] },
    numa: [
      {
        id: 0,
        memory: BigInt(hostMemoryKiB()),
        cpus: cpus.map((c) => ({ id: c.id, socketId: c.socket, dieId: 0, coreId: c.core, siblings: String(c.id) })),
      },
    ],
    secModels: [{ model: 'none', doi: '0' }],
  });
  const kvm = kvmAvailable() && caps.machines.kvm.length > 0;
  const arches = caps.arch === 'x86_64' ? ['i686', 'x86_64'] : [caps.arch];
  for (const arch of arches) {
    const g = b.addGuest('hvm', arch, { emulator: caps.emulator, machines: capsMachines(caps.machines.tcg) });
    g.addDomain('qemu');
    if (kvm) g.addDomain('kvm', { machines: capsMachines(caps.machines.kvm) });
    if (arch === 'i686') g.addFeature('pae').addFeature('nonpae');
    g.addFeature('acpi', { default: 'on', toggle: 'yes' })
      .addFeature('apic', { default: 'on', toggle: 'no' })
      .addFeature('cpuselection')
      .addFeature('deviceboot')
      .addFeature('disksnapshot', { default: 'on', toggle: 'no' });
  }
  return formatCapabilitiesXml(b.build());
}
