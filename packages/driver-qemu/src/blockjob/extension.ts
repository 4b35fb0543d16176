/**
 * Block jobs on QEMU connections: one BlockJobs per domain, kept as the domain's extension state,
 * fed the domain's QMP events and told when its QEMU goes away. Starting, aborting and tuning a
 * job take the domain job lock; the job itself then runs in the background, as in libvirt.
 */
import type { DomainRef, DriverConnection } from '@virtkit/core';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import type { QemuDomainObj } from '../domains/obj';
import type { QemuDriver } from '../qemu-driver';
import { BlockJobs } from './engine';

function jobsOf(driver: QemuDriver, obj: QemuDomainObj): BlockJobs {
  return obj.extension('blockjobs', () =>
    new BlockJobs({
      qmp: () => (obj.active ? obj.monitor() : undefined),
      def: () => obj.def,
      save: (def) => driver.saveDef(obj, def),
      emit: (e) => driver.emit(e.eventId, obj.ref(), { ...e }),
    }),
  );
}

export const blockJobHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    qmpEvent: (obj, e) => jobsOf(driver, obj).handleQmpEvent(e),
    stopped: (obj) => jobsOf(driver, obj).monitorLost(),
  });
};

type BlockJobMethods = Pick<Required<DriverConnection>,
  | 'domainBlockCommit' | 'domainBlockPull' | 'domainBlockRebase' | 'domainBlockCopy'
  | 'domainBlockJobAbort' | 'domainBlockJobSetSpeed' | 'domainGetBlockJobInfo'>;

export const blockJobMethods: QemuConnectionExtension = (driver): BlockJobMethods => {
  const withJobs = <T>(dom: DomainRef, owner: string, fn: (jobs: BlockJobs) => Promise<T>): Promise<T> => {
    const obj = driver.domains.get(dom);
    return driver.withJob(obj, 'modify', owner, () => fn(jobsOf(driver, obj)));
  };
  return {
    domainBlockCommit: (dom, disk, base, top, bw, flags) => withJobs(dom, 'virDomainBlockCommit', (j) => j.commit(disk, base, top, bw, flags)),
    domainBlockPull: (dom, disk, bw, flags) => withJobs(dom, 'virDomainBlockPull', (j) => j.pull(disk, bw, flags)),
    domainBlockRebase: (dom, disk, base, bw, flags) => withJobs(dom, 'virDomainBlockRebase', (j) => j.rebase(disk, base, bw, flags)),
    domainBlockCopy: (dom, disk, destxml, params, flags) => withJobs(dom, 'virDomainBlockCopy', (j) => j.copy(disk, destxml, params, flags)),
    domainBlockJobAbort: (dom, disk, flags) => withJobs(dom, 'virDomainBlockJobAbort', (j) => j.abort(disk, flags)),
    domainBlockJobSetSpeed: (dom, disk, bw, flags) => withJobs(dom, 'virDomainBlockJobSetSpeed', (j) => j.setSpeed(disk, bw, flags)),
    // A query: libvirt answers it without waiting for a modifying job to end.
    domainGetBlockJobInfo: (dom, disk, flags) => jobsOf(driver, driver.domains.get(dom)).info(disk, flags),
  };
};
