/**
 * Snapshots on QEMU connections: one QemuSnapshots per domain, kept as the domain's extension
 * state. Undefine keeps libvirt's snapshot-metadata rule; the list filters count the metadata
 * files, which the store keeps one per snapshot.
 */
import {
  DomainPausedReason,
  DomainRunningReason,
  DomainShutoffReason,
  DomainUndefineFlags,
  ErrorDomain,
  VirError,
  type DomainRef,
} from '@virtkit/core';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import type { QemuDomainObj } from '../domains/obj';
import { startDomain } from '../domains/start';
import type { QemuDriver } from '../qemu-driver';
import { countXmlFiles } from '../fsutil';
import { objectDir } from '../state/state-dir';
import { checkpointCount } from '../backup/extension';
import { mergeIntoBacking } from '../blockjob/extension';
import { QemuSnapshots } from './snapshots';
import { snapshotSpi } from './spi';

function snapshotDir(driver: QemuDriver, obj: QemuDomainObj): string {
  return objectDir(driver.paths.snapshotDir, obj.name);
}

function snapshotsOf(driver: QemuDriver, obj: QemuDomainObj): QemuSnapshots {
  return obj.extension(
    'snapshots',
    () =>
      new QemuSnapshots({
        ref: () => obj.ref(),
        qmp: () => (obj.active ? obj.monitor() : undefined),
        def: () => obj.def,
        persistentDef: () => obj.persistentDef,
        state: () => obj.state.state,
        saveDef: (def) => driver.saveDef(obj, def),
        withJob: (owner, fn) => driver.withJob(obj, 'modify', owner, fn),
        start: (def) => startDomain(driver, obj, def, true),
        stop: () => obj.runtime.stop('force', DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT),
        pause: () => obj.runtime.suspend(DomainPausedReason.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT),
        resume: () => obj.runtime.resume(DomainRunningReason.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT),
        mergeOverlays: (merges) => mergeIntoBacking(driver, obj, merges),
        checkpoints: async () => checkpointCount(driver, obj),
        dirs: { snapshots: snapshotDir(driver, obj) },
        report: driver.loadReport,
      }),
  );
}

export const snapshotHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    beforeUndefine: async (obj, flags) => {
      const n = await snapshotsOf(driver, obj).count();
      if (n > 0 && !(flags & DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
        throw VirError.operationInvalid(`cannot delete inactive domain with ${n} snapshots`, ErrorDomain.VIR_FROM_QEMU);
      }
    },
    afterUndefine: async (obj, flags) => {
      if (flags & DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) await snapshotsOf(driver, obj).removeAllMetadata();
    },
    listFacts: (obj) => ({ hasSnapshot: countXmlFiles(snapshotDir(driver, obj)) > 0 }),
    // A create whose process died is finished or undone before anyone can use the root.
    opened: async () => {
      for (const obj of driver.domains.all())
        await snapshotsOf(driver, obj)
          .recover()
          .catch(() => undefined);
    },
  });
};

export const snapshotMethods: QemuConnectionExtension = (driver) =>
  snapshotSpi((dom: DomainRef) => snapshotsOf(driver, driver.domains.get(dom)));
