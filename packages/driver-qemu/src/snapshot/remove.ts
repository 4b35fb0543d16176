import { type DomainSnapshotDef } from '@virtkit/xml';
import { backupDisks, liveNodeNames } from '../backup/disks';
import { embeddedDisks } from './embed';
import { configUnsupported } from './errors';
import { editImageSnapshot, imageSnapshotTags, runSnapshotJob } from './internal';
import { isExternal } from './kind';
import type { QemuSnapshots, SnapshotNode } from './snapshots';

/** Refuse external snapshots among the children deleted with CHILDREN(_ONLY), and external data deletion without block jobs. */
export function checkDeletable(host: QemuSnapshots, node: SnapshotNode, doomed: readonly SnapshotNode[], mode: string): void {
  if (mode !== 'single') {
    if (doomed.some((n) => isExternal(n.data))) throw configUnsupported('external children disk snapshots not supported');
    return;
  }
  if (isExternal(node.data) && !host.ctx.mergeOverlays) {
    throw configUnsupported('deletion of external disk snapshots needs block jobs, which this connection lacks');
  }
}

/** Remove a snapshot's data from the images: internal snapshots from the images holding them, external overlays merged back. */
export async function deleteFromImages(host: QemuSnapshots, def: DomainSnapshotDef): Promise<void> {
  const overlays = def.disks.filter((d) => d.snapshot === 'external' && d.src.path).map((d): [string, string] => [d.name, d.src.path!]);
  if (overlays.length) await host.ctx.mergeOverlays!(overlays);
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
