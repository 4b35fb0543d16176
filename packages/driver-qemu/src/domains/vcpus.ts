/**
 * qemuDomainSetVcpusFlags for the persistent definition: the current or maximum vCPU count used
 * at the next boot. Changing a running domain's vCPUs needs QEMU CPU hotplug, which this driver
 * does not do yet; it says so instead of pretending.
 */
import { DomainVcpuFlags as F, ErrorNumber, modificationImpact, VirError, type DomainRef } from '@virtkit/core';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU } from './errors';
import { copyDef } from './parse';

const invalidArg = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, detail);

export async function setVcpusFlags(driver: QemuDriver, ref: DomainRef, n: number, flags: number): Promise<void> {
  checkFlags(
    flags,
    F.VIR_DOMAIN_VCPU_LIVE |
      F.VIR_DOMAIN_VCPU_CONFIG |
      F.VIR_DOMAIN_VCPU_MAXIMUM |
      F.VIR_DOMAIN_VCPU_GUEST |
      F.VIR_DOMAIN_VCPU_HOTPLUGGABLE,
    'qemuDomainSetVcpusFlags',
  );
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainSetVcpusFlags', async () => {
    const which = modificationImpact(obj, flags);
    if (which.live || flags & F.VIR_DOMAIN_VCPU_GUEST) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
        FROM_QEMU,
        'changing the vCPUs of a running domain (CPU hotplug) is not supported yet',
      );
    }
    const def = copyDef(obj.persistentDef!);
    if (flags & F.VIR_DOMAIN_VCPU_MAXIMUM) {
      def.vcpu = n;
      if ((def.vcpuCurrent ?? n) >= n) def.vcpuCurrent = undefined;
    } else {
      if (n > def.vcpu)
        throw invalidArg(`requested vcpus is greater than max allowable vcpus for the persistent domain: ${n} > ${def.vcpu}`);
      def.vcpuCurrent = n === def.vcpu ? undefined : n;
    }
    await driver.saveDef(obj, def);
  });
}
