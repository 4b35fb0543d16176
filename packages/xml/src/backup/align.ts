/** Matching a backup's disks with the domain's (virDomainBackupAlignDisks). */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { diskSourceIsEmpty, newDiskSource } from '../storage-source';
import type { BackupDiskDef, BackupDomainDisk, DomainBackupDef } from './types';

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, detail);

function assignStore(disk: BackupDiskDef, src: BackupDomainDisk['src'], suffix: string): void {
  if (diskSourceIsEmpty(src)) {
    if (disk.store) throw unsupported(`disk '${disk.name}' has no media`);
  } else if (!disk.store) {
    if (src.type !== 'file') throw unsupported(`refusing to generate file name for disk '${disk.name}'`);
    disk.store = { ...newDiskSource('file'), path: `${src.path}.${suffix}` };
  }
}

/**
 * Check the requested disks against the domain, add an entry for every other domain disk (backed
 * up only when the request named none), and settle each disk's mode and incremental checkpoint.
 */
export function alignBackupDisks(def: DomainBackupDef, domainDisks: readonly BackupDomainDisk[], suffix: string): void {
  if (domainDisks.length === 0) throw unsupported('domain must have at least one disk to perform backup');
  const seen = new Set<string>();
  for (const disk of def.disks) {
    const dom = domainDisks.find((d) => d.dst === disk.name);
    if (!dom) throw unsupported(`no disk named '${disk.name}'`);
    if (seen.has(disk.name)) throw unsupported(`disk '${disk.name}' specified twice`);
    seen.add(disk.name);
    if (disk.backupmode === 'incremental' && !disk.incremental && !def.incremental) {
      throw unsupported(`'incremental' backup mode of disk '${disk.name}' requires setting 'incremental' field for disk or backup`);
    }
    if (disk.backup === 'yes') assignStore(disk, dom.src, suffix);
  }
  const backupAll = def.disks.length === 0;
  for (const dom of domainDisks) {
    if (seen.has(dom.dst)) continue;
    const disk: BackupDiskDef = { name: dom.dst, backup: 'no' };
    if (backupAll && !diskSourceIsEmpty(dom.src) && !dom.src.readonly) {
      disk.backup = 'yes';
      assignStore(disk, dom.src, suffix);
    }
    def.disks.push(disk);
  }
  for (const disk of def.disks) {
    if (!disk.backupmode) disk.backupmode = def.incremental || disk.incremental ? 'incremental' : 'full';
    if (!disk.incremental && disk.backupmode === 'incremental') disk.incremental = def.incremental;
  }
}
