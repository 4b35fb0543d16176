/**
 * Checkpoints and backups of the QEMU driver. The connection keeps one `Checkpoints` and one
 * `Backups` per domain, built on a BackupContext, and calls them under the domain job lock:
 *
 *   const ctx: BackupContext = { qmp: () => runtime.active ? runtime.monitor : undefined,
 *     def: () => liveOrPersistentDef, ref: () => domainRef,
 *     dirs: { checkpoints: objectDir(paths.checkpointDir, name), run: privateRunDir }, emit };
 *   const checkpoints = new Checkpoints(ctx); const backups = new Backups(ctx, checkpoints);
 *   domainCheckpointCreateXML(dom, xml, f)  → checkpoints.create(xml, f) → name
 *   domainListAllCheckpoints / CheckpointListAllChildren / LookupByName / GetParent /
 *     GetXMLDesc / Delete → listAll / listChildren / lookup / parent / getXMLDesc / delete
 *   domainBackupBegin(dom, xml, chkXml, f)  → backups.begin(xml, chkXml, f)
 *   domainBackupGetXMLDesc → backups.getXMLDesc(); domainGetJobStats → backups.jobStats(f);
 *   domainAbortJob → backups.abort(); domainCreate must refuse while `backups.active`
 *   (an offline backup holds the images); undefine with CHECKPOINTS_METADATA →
 *   checkpoints.removeAllMetadata().
 */
export { Checkpoints } from './checkpoints';
export { brokenBitmap, coveredBitmaps, type CheckpointBitmap } from './checkpoint-def';
export { Backups } from './backups';
export type { BackupContext } from './context';
export { backupDisks, type BackupDisk } from './disks';
