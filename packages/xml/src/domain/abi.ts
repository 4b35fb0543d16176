/**
 * virDomainDefCheckABIStability, the first of its checks: whether a definition may stand in for
 * another (the same machine as the guest saw it). Only the identity, memory size and vCPU count
 * are compared here; libvirt goes on to compare every device.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef } from './types';

/** Throw libvirt's error for the first difference between `src` and its replacement `dst`. */
export function checkAbiStability(src: DomainDef, dst: DomainDef): void {
  const fail = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, detail);
  if (src.virtType !== dst.virtType) throw fail(`Target domain virt type ${dst.virtType} does not match source ${src.virtType}`);
  if (src.uuid !== dst.uuid) throw fail(`Target domain uuid ${dst.uuid} does not match source ${src.uuid}`);
  // Not the ABI, but a rename through a replaced definition would confuse every driver.
  if (src.name !== dst.name) throw fail(`Target domain name '${dst.name}' does not match source '${src.name}'`);
  if (src.memory !== dst.memory) throw fail(`Target domain max memory ${dst.memory} does not match source ${src.memory}`);
  if (src.vcpu !== dst.vcpu) throw fail(`Target domain vCPU max ${dst.vcpu} does not match source ${src.vcpu}`);
}
