/**
 * qemuDomainGetDiskErrors: the disks whose block backend QEMU reports in an I/O error state
 * (`query-block`'s `io-status`, present when the drive stops or reports on errors), in the
 * definition's disk order.
 */
import { DomainDiskErrorCode as E, type DomainDiskError, type DomainRef } from '@virtkit/core';
import { ownedBy } from '../hotplug/disk-live';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, notRunning } from './errors';

/** qemuMonitorBlockIOStatusToError. */
const IO_STATUS: Record<string, number> = {
  ok: E.VIR_DOMAIN_DISK_ERROR_NONE,
  failed: E.VIR_DOMAIN_DISK_ERROR_UNSPEC,
  nospace: E.VIR_DOMAIN_DISK_ERROR_NO_SPACE,
};

export async function getDiskErrors(driver: QemuDriver, ref: DomainRef, flags: number): Promise<DomainDiskError[]> {
  checkFlags(flags, 0, 'qemuDomainGetDiskErrors');
  const obj = driver.domains.get(ref);
  return driver.withJob(obj, 'query', 'virDomainGetDiskErrors', async () => {
    if (!obj.active || !obj.liveDef) throw notRunning();
    const blocks = await obj.monitor().execute<Array<{ qdev?: string; 'io-status'?: string }>>('query-block');
    const errors: DomainDiskError[] = [];
    for (const dev of obj.liveDef.devices) {
      const alias = dev.disk && dev.el.element('alias')?.attr('name');
      if (!alias) continue;
      const status = blocks.find((b) => ownedBy(b.qdev, alias))?.['io-status'];
      const error = status === undefined ? E.VIR_DOMAIN_DISK_ERROR_NONE : (IO_STATUS[status] ?? E.VIR_DOMAIN_DISK_ERROR_UNSPEC);
      if (error !== E.VIR_DOMAIN_DISK_ERROR_NONE) errors.push({ disk: dev.disk!.targetDev, error });
    }
    return errors;
  });
}
