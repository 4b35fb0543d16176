/**
 * Deleting snapshots from the images (qemuSnapshotDelete without METADATA_ONLY): an internal
 * snapshot goes with QEMU's `snapshot-delete` job while the domain runs, else with
 * `qemu-img snapshot -d` on each image that holds it. External snapshots are refused for now
 * (see `checkDeletable`); their metadata can still go with METADATA_ONLY.
 */
import type { DomainSnapshotDef } from '@virtkit/core';
import { backupDisks, liveNodeNames } from '../backup/disks';
import { embeddedDisks } from './embed';
import { configUnsupported } from './errors';
import { editImageSnapshot, imageSnapshotTags, runSnapshotJob } from './internal';
import { isExternal, type QemuSnapshots, type SnapshotNode } from './snapshots';

/**
 * Refuse what libvirt 9.0 refuses (external snapshots with children, or among the children
 * deleted) and what this driver does not do yet: merging a leaf external snapshot's overlay
 * back into its backing image.
 */
export function checkDeletable(node: SnapshotNode, doomed: readonly SnapshotNode[], mode: string): void {
  if (mode === 'single') {
    if (!isExternal(node.data)) return;
    if (node.children.length) throw configUnsupported('deletion of external disk snapshots with children not supported');
    throw configUnsupported('deletion of external disk snapshots not supported by this driver yet; delete the metadata only');
  }
  if (doomed.some((n) => isExternal(n.data))) throw configUnsupported('external children disk snapshots not supported');
}

/** Remove an internal snapshot's data from the images that hold it. */
export async function deleteFromImages(host: QemuSnapshots, def: DomainSnapshotDef): Promise<void> {
  const targets = def.disks.filter((d) => d.snapshot === 'internal').map((d) => d.name);
  if (!targets.length) return;
  const qmp = host.ctx.qmp();
  if (qmp) {
    const nodes = await liveNodeNames(qmp, backupDisks(host.ctx.def()));
    const devices = targets.map((t) => nodes.get(t)).filter((n): n is string => n !== undefined);
    // QEMU skips devices without the tag, so a disk replaced since the snapshot is no error.
    if (devices.length) await runSnapshotJob(qmp, 'snapshot-delete', def.name!, devices);
    return;
  }
  const disks = def.dom ? embeddedDisks(def.dom) : backupDisks(host.ctx.def());
  for (const t of targets) {
    const image = disks.find((d) => d.target === t)?.path;
    if (!image) continue;
    const tags = await imageSnapshotTags(host.qemuImg, image).catch((): string[] => []);
    if (tags.includes(def.name!)) await editImageSnapshot(host.qemuImg, 'delete', image, def.name!);
  }
}
