/**
 * External disk-only snapshots: each selected disk gets a new qcow2 overlay whose backing file is
 * the disk's current image, and the overlay becomes the disk's image. While QEMU runs the
 * overlays are opened as block nodes and put on top in one `transaction` of
 * `blockdev-snapshot` (all disks switch or none); shut off, only the definition changes. Either
 * way the definitions record the new chain (`<source>` + `<backingStore>`).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { type DomainDef, type DomainDevice } from '@virtkit/xml';
import type { BackupDisk } from '../backup/disks';
import { diskChain, writeDiskChain } from '../blockjob';
import { imageSize } from '../blockjob/chain';
import { attachImage, blockNodes, detachImages, nextNodeIndex, type ImageNodes } from '../blockjob/nodes';
import type { QmpClient } from '../qmp/client';
import type { SnapshotContext } from './context';
import type { SnapshotPlan } from './disks';
import { imageToolFailed } from './errors';

const run = promisify(execFile);

export type Overlay = SnapshotPlan['external'][number];

/**
 * Create the overlay files over each disk's current image. The size is passed and the backing
 * left unopened (`-u`): a running QEMU holds the backing image. Returns the files created, for
 * the caller to remove if a later step fails.
 */
export async function createOverlays(qemuImg: string, overlays: readonly Overlay[], disks: readonly BackupDisk[]): Promise<string[]> {
  const created: string[] = [];
  try {
    for (const o of overlays) {
      const disk = disks.find((d) => d.target === o.target)!;
      const size = await imageSize(disk.path!, qemuImg);
      const args = ['create', '-q', '-f', 'qcow2', '-u', '-b', disk.path!, '-F', disk.format ?? 'raw', o.path, String(size)];
      try {
        await run(qemuImg, args);
      } catch (e) {
        throw imageToolFailed(args, (e as { stderr?: string }).stderr ?? (e as Error).message);
      }
      created.push(o.path);
    }
  } catch (e) {
    await removeFiles(created);
    throw e;
  }
  return created;
}

export async function removeFiles(files: readonly string[]): Promise<void> {
  for (const f of files) await fs.promises.rm(f, { force: true });
}

/** Open the overlays in QEMU and put each on top of its disk's node, all in one transaction. */
export async function switchLive(qmp: QmpClient, overlays: readonly Overlay[], topNodes: ReadonlyMap<string, string>): Promise<void> {
  let index = nextNodeIndex((await blockNodes(qmp)).names);
  const attached: ImageNodes[] = [];
  try {
    const actions: unknown[] = [];
    for (const o of overlays) {
      const nodes = await attachImage(qmp, { path: o.path, format: o.format, type: 'file' }, index++, null);
      attached.push(nodes);
      actions.push({ type: 'blockdev-snapshot', data: { node: topNodes.get(o.target), overlay: nodes.format } });
    }
    await qmp.execute('transaction', { actions });
  } catch (e) {
    await detachImages(qmp, attached);
    throw e;
  }
}

function diskDevice(def: DomainDef, target: string): DomainDevice | undefined {
  return def.devices.find((d) => d.disk?.targetDev === target);
}

/**
 * Record the overlays as the new top images of `def`'s disks, the old chain below them. A disk
 * whose image is no longer the one the overlay was made on (a persistent definition edited
 * since start) is left alone.
 */
export async function recordOverlays(
  def: DomainDef,
  overlays: readonly Overlay[],
  below: ReadonlyMap<string, string>,
  qemuImg: string,
): Promise<void> {
  for (const o of overlays) {
    const dev = diskDevice(def, o.target);
    if (!dev?.disk || dev.disk.source.path !== below.get(o.target)) continue;
    const chain = await diskChain(dev, qemuImg);
    writeDiskChain(dev, [{ path: o.path, format: o.format, type: 'file' }, ...chain]);
  }
}

/**
 * Record overlays now on top of their disks in the live definition (while running) and the
 * persistent one. Repeating it changes nothing (recordOverlays skips a disk already moved), so
 * a recovery may run it again after a crash between the two saves.
 */
export async function recordExternal(
  ctx: SnapshotContext,
  overlays: readonly Overlay[],
  below: ReadonlyMap<string, string>,
  qemuImg: string,
): Promise<void> {
  const live = ctx.qmp() ? ctx.def() : undefined;
  if (live) {
    await recordOverlays(live, overlays, below, qemuImg);
    await ctx.saveDef(live);
  }
  const persistent = ctx.persistentDef();
  if (persistent && persistent !== live) {
    await recordOverlays(persistent, overlays, below, qemuImg);
    await ctx.saveDef(persistent);
  }
}
