/**
 * Finishing or undoing a snapshot create whose process died (its intent left in the journal),
 * as the next driver to open the root does:
 *
 * - internal: undone. The snapshot is deleted from every image holding it (QEMU's
 *   snapshot-delete job once the orphaned snapshot-save job concluded; `qemu-img snapshot -d` on
 *   images at rest). libvirt's create is all or nothing: when making the internal snapshots
 *   fails midway it deletes the ones already made (qemuDomainSnapshotForEachQcow2Raw's `-d`
 *   rollback) and the caller gets an error, never a snapshot. The caller here got no snapshot
 *   either, so its name must be free to use again, and deleting a snapshot loses no guest data.
 * - external: completed once the disks are on the overlays (QEMU switched them, or the
 *   shut-off domain's definition names them): the guest has been writing into the overlays,
 *   so going back would drop its writes; the definitions and the metadata are written, as the
 *   create would have. Before the switch nothing depends on the overlays: the files the create
 *   made are removed.
 */
import type { DomainDef, DomainSnapshotDef } from '@virtkit/xml';
import { backupDisks, liveNodeNames } from '../backup/disks';
import { diskChains } from '../blockjob/nodes';
import { recordExternal, removeFiles } from './external';
import { editImageSnapshot, imageSnapshotTags, runSnapshotJob, settleOrphanJob } from './internal';
import { intentDef, type CreateIntent, type JournaledOverlay } from './journal';
import type { QemuSnapshots } from './snapshots';

/**
 * Bring the images and definitions to the create's end or back to its start; resolves with
 * the snapshot to record when the create was completed.
 */
export async function finishOrUndo(host: QemuSnapshots, intent: CreateIntent): Promise<DomainSnapshotDef | undefined> {
  if (intent.internal) {
    await undoInternal(host, intent.name, intent.internal);
    return undefined;
  }
  const overlays = intent.external ?? [];
  if (await onOverlays(host, overlays)) {
    const below = new Map(overlays.map((o) => [o.target, o.below]));
    await recordExternal(host.ctx, overlays, below, host.qemuImg);
    return intentDef(intent);
  }
  await removeFiles(overlays.filter((o) => o.created).map((o) => o.path));
  return undefined;
}

async function undoInternal(host: QemuSnapshots, name: string, internal: NonNullable<CreateIntent['internal']>): Promise<void> {
  const qmp = host.ctx.qmp();
  if (qmp) {
    if (internal.jobId) await settleOrphanJob(qmp, internal.jobId);
    const nodes = await liveNodeNames(qmp, backupDisks(host.ctx.def()));
    const devices = internal.targets.map((t) => nodes.get(t)).filter((n): n is string => n !== undefined);
    // QEMU deletes the tag where it is and skips the devices without it.
    if (devices.length) await runSnapshotJob(qmp, 'snapshot-delete', name, devices);
    return;
  }
  for (const image of internal.images) {
    const tags = await imageSnapshotTags(host.qemuImg, image).catch((): string[] => []);
    if (tags.includes(name)) await editImageSnapshot(host.qemuImg, 'delete', image, name);
  }
}

/** The disks are on the overlays: QEMU's chains start with them, or (shut off) a definition names them. */
async function onOverlays(host: QemuSnapshots, overlays: readonly JournaledOverlay[]): Promise<boolean> {
  const qmp = host.ctx.qmp();
  if (qmp) {
    const tops = new Set((await diskChains(qmp)).map((c) => c[0]));
    return overlays.some((o) => tops.has(o.path));
  }
  const names = (def: DomainDef | undefined) =>
    !!def && overlays.some((o) => def.devices.some((d) => d.disk?.targetDev === o.target && d.disk.source.path === o.path));
  return names(host.ctx.def()) || names(host.ctx.persistentDef());
}
