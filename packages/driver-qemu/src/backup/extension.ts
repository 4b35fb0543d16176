/**
 * Checkpoints and backups on QEMU connections: one Checkpoints and one Backups per domain,
 * kept as the domain's extension state, called under its job lock. An offline backup holds the
 * images open, so starting the domain meanwhile is refused; undefine with CHECKPOINTS_METADATA
 * drops the checkpoint metadata, without it a domain with checkpoints cannot be undefined.
 */
import * as path from 'node:path';
import {
  DomainUndefineFlags,
  ErrorDomain,
  VirError,
  type DomainCheckpointRef,
  type DomainRef,
  type DriverConnection,
  type JobStats,
} from '@virtkit/core';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { checkFlags } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import type { QemuDriver } from '../qemu-driver';
import { countXmlFiles } from '../fsutil';
import { objectDir } from '../state/state-dir';
import { Backups } from './backups';
import { Checkpoints } from './checkpoints';
import type { BackupContext } from './context';
import { BACKUP_STATUS_KEY, type BackupRecord } from './record';

interface DomainBackupState {
  checkpoints: Checkpoints;
  backups: Backups;
}

function checkpointDir(driver: QemuDriver, obj: QemuDomainObj): string {
  return objectDir(driver.paths.checkpointDir, obj.name);
}

function stateOf(driver: QemuDriver, obj: QemuDomainObj): DomainBackupState {
  return obj.extension('backup', () => {
    const ctx: BackupContext = {
      qmp: () => (obj.active ? obj.monitor() : undefined),
      def: () => obj.def,
      ref: () => obj.ref(),
      dirs: {
        checkpoints: checkpointDir(driver, obj),
        // Kept short: the UNIX sockets of offline jobs live here.
        run: path.join(driver.paths.stateDir, `bk-${obj.uuid.slice(0, 8)}`),
      },
      report: driver.loadReport,
      emit: (e) => driver.emit(e.eventId, e.dom, e),
      persist: async (record) => {
        if (obj.active) await obj.runtime.saveExtensionState(BACKUP_STATUS_KEY, record);
      },
    };
    const checkpoints = new Checkpoints(ctx);
    return { checkpoints, backups: new Backups(ctx, checkpoints) };
  });
}

/** How many checkpoints a domain has. */
export function checkpointCount(driver: QemuDriver, obj: QemuDomainObj): Promise<number> {
  return stateOf(driver, obj).checkpoints.count();
}

export const backupHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    beforeStart: async (obj) => {
      if (stateOf(driver, obj).backups.active) {
        throw VirError.operationInvalid('domain has an active backup job holding its disk images', ErrorDomain.VIR_FROM_QEMU);
      }
    },
    beforeUndefine: async (obj, flags) => {
      const { checkpoints } = stateOf(driver, obj);
      const n = await checkpoints.count();
      if (n === 0) return;
      if (!(flags & DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA)) {
        throw VirError.operationInvalid(`cannot delete inactive domain with ${n} checkpoints`, ErrorDomain.VIR_FROM_QEMU);
      }
    },
    afterUndefine: async (obj, flags) => {
      if (flags & DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA) await stateOf(driver, obj).checkpoints.removeAllMetadata();
    },
    listFacts: (obj) => ({ hasCheckpoint: countXmlFiles(checkpointDir(driver, obj)) > 0 }),
    closing: async () => {
      await Promise.all(driver.domains.all().map((obj) => stateOf(driver, obj).backups.closing()));
    },
    // A backup begun by the previous driver of the root is followed, or cleaned up if it ended.
    reconnected: async (obj) => {
      const record = obj.runtime.extensionState<BackupRecord>(BACKUP_STATUS_KEY);
      if (record) await stateOf(driver, obj).backups.adopt(record);
    },
  });
};

type BackupMethods = Pick<
  Required<DriverConnection>,
  | 'domainCheckpointCreateXML'
  | 'domainListAllCheckpoints'
  | 'domainCheckpointListAllChildren'
  | 'domainCheckpointLookupByName'
  | 'domainCheckpointGetParent'
  | 'domainCheckpointGetXMLDesc'
  | 'domainCheckpointDelete'
  | 'domainBackupBegin'
  | 'domainBackupGetXMLDesc'
  | 'domainGetJobStats'
  | 'domainAbortJob'
  | 'domainAbortJobFlags'
>;

export const backupMethods: QemuConnectionExtension = (driver): BackupMethods => {
  const objOf = (dom: DomainRef) => driver.domains.get(dom);
  const chk = (dom: DomainRef, name: string): DomainCheckpointRef => ({ name, domain: objOf(dom).ref() });
  const modify = <T>(dom: DomainRef, owner: string, fn: (s: DomainBackupState) => Promise<T>): Promise<T> => {
    const obj = objOf(dom);
    return driver.withJob(obj, 'modify', owner, () => fn(stateOf(driver, obj)));
  };
  const query = <T>(dom: DomainRef, owner: string, fn: (s: DomainBackupState) => Promise<T>): Promise<T> => {
    const obj = objOf(dom);
    return driver.withJob(obj, 'query', owner, () => fn(stateOf(driver, obj)));
  };
  const abort = (dom: DomainRef): Promise<void> => stateOf(driver, objOf(dom)).backups.abort();
  return {
    domainCheckpointCreateXML: (dom, xml, flags) =>
      modify(dom, 'virDomainCheckpointCreateXML', async (s) => chk(dom, await s.checkpoints.create(xml, flags))),
    domainListAllCheckpoints: (dom, flags) =>
      query(dom, 'virDomainListAllCheckpoints', async (s) => (await s.checkpoints.listAll(flags)).map((n) => chk(dom, n))),
    domainCheckpointListAllChildren: (c, flags) =>
      query(c.domain, 'virDomainCheckpointListAllChildren', async (s) =>
        (await s.checkpoints.listChildren(c.name, flags)).map((n) => chk(c.domain, n)),
      ),
    domainCheckpointLookupByName: (dom, name, flags) =>
      query(dom, 'virDomainCheckpointLookupByName', async (s) => {
        checkFlags(flags, 0, 'qemuDomainCheckpointLookupByName');
        return chk(dom, await s.checkpoints.lookup(name));
      }),
    domainCheckpointGetParent: (c, flags) =>
      query(c.domain, 'virDomainCheckpointGetParent', async (s) => {
        checkFlags(flags, 0, 'qemuDomainCheckpointGetParent');
        return chk(c.domain, await s.checkpoints.parent(c.name));
      }),
    domainCheckpointGetXMLDesc: (c, flags) =>
      query(c.domain, 'virDomainCheckpointGetXMLDesc', (s) => s.checkpoints.getXMLDesc(c.name, flags)),
    domainCheckpointDelete: (c, flags) => modify(c.domain, 'virDomainCheckpointDelete', (s) => s.checkpoints.delete(c.name, flags)),
    domainBackupBegin: (dom, backupXml, checkpointXml, flags) =>
      modify(dom, 'virDomainBackupBegin', (s) => s.backups.begin(backupXml, checkpointXml, flags)),
    domainBackupGetXMLDesc: async (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainBackupGetXMLDesc');
      return stateOf(driver, objOf(dom)).backups.getXMLDesc();
    },
    domainGetJobStats: (dom, flags): Promise<JobStats> => stateOf(driver, objOf(dom)).backups.jobStats(flags),
    // Abort must not wait behind the job lock the backup's own calls may hold.
    domainAbortJob: abort,
    domainAbortJobFlags: async (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainAbortJobFlags');
      await abort(dom);
    },
  };
};
