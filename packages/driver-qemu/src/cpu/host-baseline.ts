/**
 * The QEMU driver's baseline CPUs: qemuConnectBaselineCPU (over the whole CPU map, without the
 * features libvirt never passes to QEMU) and qemuConnectBaselineHypervisorCPU (over the CPU models
 * and host-model features the QEMU binary reports for the accelerator).
 */
import { ConnectBaselineCPUFlags as B, ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { baselineCpu, expandFeatures, formatBaselineCpu, parseBaselineCpus } from '@virtkit/xml';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags } from '../domains/errors';
import { resolveDomainCapsQuery, type DomainCapsQuery } from '../host/domain-capabilities';
import { NEVER_PASSED } from './guest';
import { x86Map } from './map';

const FLAGS = B.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES | B.VIR_CONNECT_BASELINE_CPU_MIGRATABLE;

/** qemuConnectBaselineCPU. */
export function baselineCpuXml(xmlCPUs: readonly string[], flags: number): string {
  checkFlags(flags, FLAGS, 'qemuConnectBaselineCPU');
  const map = x86Map();
  const cpu = baselineCpu(parseBaselineCpus(xmlCPUs, false), { migratable: (flags & B.VIR_CONNECT_BASELINE_CPU_MIGRATABLE) !== 0 }, map);
  cpu.features = cpu.features.filter((f) => !NEVER_PASSED.has(f.name));
  if (flags & B.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES) expandFeatures(cpu, map);
  return formatBaselineCpu(cpu);
}

/** qemuConnectBaselineHypervisorCPU. */
export async function baselineHypervisorCpuXml(
  driver: QemuDriver,
  q: DomainCapsQuery,
  xmlCPUs: readonly string[],
  flags: number,
): Promise<string> {
  checkFlags(flags, FLAGS, 'qemuConnectBaselineHypervisorCPU');
  const cpus = parseBaselineCpus(xmlCPUs, true);
  const caps = await driver.caps();
  const { virttype } = resolveDomainCapsQuery(caps, q);
  const accel = virttype === 'kvm' ? 'kvm' : 'tcg';
  const models = caps.cpuModels[accel];
  if (!models.length) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      ErrorDomain.VIR_FROM_QEMU,
      `QEMU '${caps.emulator}' does not support any CPU models for virttype '${virttype}'`,
    );
  }
  const map = x86Map();
  let migratable = (flags & B.VIR_CONNECT_BASELINE_CPU_MIGRATABLE) !== 0;
  const props = caps.hostCpuProps?.[accel];
  // The features QEMU's host-model expansion knows (the migratable ones when asked): with them,
  // no further filtering is needed.
  const features = props?.filter((p) => !(migratable && p.migratable === false)).map((p) => map.featureFromQemu(p.name)?.name ?? p.name);
  if (features) migratable = false;
  const cpu = baselineCpu(cpus, { models, features, migratable }, map);
  cpu.fallback = 'forbid';
  if (flags & B.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES) expandFeatures(cpu, map);
  return formatBaselineCpu(cpu);
}
