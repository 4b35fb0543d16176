/**
 * A definition's vCPU counts as libvirt keeps them: `<vcpu>` is the maximum and `current` the
 * number online at boot, written only when fewer (virDomainDefSetVcpus, virDomainDefSetVcpusMax).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef } from './types';

/** The vCPUs online at boot. */
export function onlineVcpus(def: DomainDef): number {
  return def.vcpuCurrent ?? def.vcpu;
}

/** virDomainDefSetVcpus: `n` of the maximum online. */
export function setOnlineVcpus(def: DomainDef, n: number): void {
  if (n > def.vcpu) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_DOMAIN,
      'maximum vCPU count must not be less than current vCPU count',
    );
  }
  def.vcpuCurrent = n === def.vcpu ? undefined : n;
}

/** virDomainDefSetVcpusMax: vCPUs added are offline; vCPUs removed take their online state with them. */
export function setMaximumVcpus(def: DomainDef, n: number): void {
  const online = Math.min(onlineVcpus(def), n);
  def.vcpu = n;
  setOnlineVcpus(def, online);
}
