/**
 * The destination of a storage copy creates the disks the source will mirror into
 * (qemuMigrationDstPrepareStorage / qemuMigrationDstPrecreateDisk): a file disk becomes a volume
 * of the active pool whose target directory holds it (volume disks are not pre-created here), with the capacity the source's cookie
 * gives; a disk whose file exists is used as it is. What it created goes again when the move
 * fails, so a failed move leaves nothing on the destination.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorNumber, StorageVolCreateFlags, VirError, type StorageVolRef } from '@virtkit/core';
import { escapeXml, type DomainDef } from '@virtkit/xml';
import { FROM_QEMU } from '../domains/errors';
import type { QemuDriver } from '../qemu-driver';
import { storageOf } from '../storage/extension';
import type { CookieNbd } from './cookie';
import { copiedDisks } from './nbd';

/** The volume XML libvirt writes for a pre-created disk. */
function volumeXml(name: string, capacity: number, format: string): string {
  const compat = format === 'qcow2' ? '    <compat>1.1</compat>\n' : '';
  return (
    `<volume>\n  <name>${escapeXml(name)}</name>\n  <capacity>${capacity}</capacity>\n` +
    `  <target>\n    <format type='${format}'/>\n${compat}  </target>\n</volume>\n`
  );
}

/** Create the missing disks; returns what undoes it (deletes the volumes created here). */
export async function precreateStorage(
  driver: QemuDriver,
  def: DomainDef,
  nbd: CookieNbd,
  incremental: boolean,
  only: readonly string[],
): Promise<() => Promise<void>> {
  const storage = await storageOf(driver);
  const created: StorageVolRef[] = [];
  const undo = async () => {
    for (const v of created.splice(0)) await storage.storageVolDelete(v, 0).catch(() => undefined);
  };
  const copied = copiedDisks(def, only);
  try {
    for (const want of nbd.disks) {
      const dev = def.devices.find((d) => d.disk?.targetDev === want.target);
      if (!dev) {
        throw VirError.internal(`unable to find disk target '${want.target}' for non-shared-storage migration`, FROM_QEMU);
      }
      const disk = copied.find((d) => d.target === want.target);
      if (!disk) continue;
      if (disk.path !== undefined && ['file', 'block', 'dir'].includes(disk.type) && fs.existsSync(disk.path)) continue;
      if (disk.type === 'network') continue;
      if (incremental) {
        throw VirError.create(
          ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
          FROM_QEMU,
          `pre-creation of storage target '${disk.path ?? '<null>'}' for incremental storage migration of disk '${want.target}' is not supported`,
        );
      }
      const format = disk.format ?? 'raw';
      if (disk.type !== 'file' || !disk.path) {
        throw VirError.internal(`cannot precreate storage for disk type '${disk.type}'`, FROM_QEMU);
      }
      const pool = storage.poolByTargetPath(path.dirname(disk.path));
      const name = path.basename(disk.path);
      const exists = await storage.storageVolLookupByName(pool, name).then(
        () => true,
        () => false,
      );
      if (exists) continue;
      const flags = format === 'qcow2' ? StorageVolCreateFlags.VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA : 0;
      created.push(await storage.storageVolCreateXML(pool, volumeXml(name, want.capacity, format), flags));
    }
  } catch (e) {
    await undo();
    throw e;
  }
  return undo;
}
