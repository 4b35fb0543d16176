/**
 * The QEMU driver's CPU comparisons: qemuConnectCompareCPU (with the host CPU from CPUID) and
 * qemuConnectCompareHypervisorCPU (with the host-model CPU QEMU reports for the accelerator,
 * as domain capabilities describe it).
 */
import { ConnectCompareCPUFlags as C, ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags } from '../domains/errors';
import { resolveDomainCapsQuery, type DomainCapsQuery } from '../host/domain-capabilities';
import { compareCpu as compareWith, decodedData, probeHostCpu, type HostCpu } from './compare';
import { decodeHostCpu } from './decode';
import { x86Map } from './map';

const FLAGS = C.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE | C.VIR_CONNECT_COMPARE_CPU_VALIDATE_XML;

let host: HostCpu | null | undefined;

/** qemuConnectCompareCPU: `xml` against this host's CPU (read once). */
export function compareCpu(xml: string, flags: number): number {
  checkFlags(flags, FLAGS, 'qemuConnectCompareCPU');
  const map = x86Map();
  host ??= probeHostCpu(map);
  return compareWith(host, xml, map, flags);
}

/** qemuConnectCompareHypervisorCPU: `xml` against the CPU QEMU gives a host-model guest. */
export async function compareHypervisorCpu(driver: QemuDriver, q: DomainCapsQuery, xml: string, flags: number): Promise<number> {
  checkFlags(flags, FLAGS, 'qemuConnectCompareHypervisorCPU');
  const caps = await driver.caps();
  const { virttype } = resolveDomainCapsQuery(caps, q);
  const accel = virttype === 'kvm' ? 'kvm' : 'tcg';
  const props = caps.hostCpuProps?.[accel];
  if (!props) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      ErrorDomain.VIR_FROM_QEMU,
      `QEMU '${caps.emulator}' does not support reporting CPU model for virttype '${virttype}'`,
    );
  }
  const map = x86Map();
  return compareWith(decodedData(decodeHostCpu(props, caps.cpuModels[accel], map, true), map), xml, map, flags);
}
