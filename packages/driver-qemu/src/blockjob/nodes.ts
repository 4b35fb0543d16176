/**
 * QEMU block nodes of a running domain, found by image path: every image of a chain is a
 * storage node (`file`/`host_device`, named `libvirt-N-storage` by the command line builder) under
 * a format node (`libvirt-N-format`). Jobs address images by their format node, attach the
 * copy target as a new pair, and delete the pairs of images that left the chain.
 */
import { VirError } from '@virtkit/core';
import type { QmpTransport } from '../qmp/client';
import type { ChainLayer } from './types';

export interface ImageNodes {
  format: string;
  storage?: string;
}

interface NamedNode {
  'node-name': string;
  drv: string;
  file: string;
}

const PROTOCOL_DRIVERS = new Set(['file', 'host_device', 'host_cdrom']);
/** Filter drivers sit above a format node and report its image: not the image's own node. */
const FILTER_DRIVERS = new Set([
  'copy-on-read',
  'throttle',
  'mirror_top',
  'commit_top',
  'preallocate',
  'compress',
  'copy-before-write',
  'snapshot-access',
  'blkdebug',
]);

/** The image path behind QEMU's name of an image: the path itself, or a `json:` description of it. */
function imagePath(file: string): string | undefined {
  if (!file.startsWith('json:')) return file;
  try {
    const desc = JSON.parse(file.slice(5)) as { file?: { filename?: string } };
    return desc.file?.filename;
  } catch {
    return undefined;
  }
}

/** Map image path → its nodes, over every named node QEMU has. */
export async function blockNodes(qmp: QmpTransport): Promise<{ byPath: Map<string, ImageNodes>; names: string[] }> {
  const nodes = await qmp.execute<NamedNode[]>('query-named-block-nodes', { flat: true });
  const storageByPath = new Map<string, string>();
  for (const n of nodes) if (PROTOCOL_DRIVERS.has(n.drv)) storageByPath.set(n.file, n['node-name']);
  const byPath = new Map<string, ImageNodes>();
  for (const n of nodes) {
    if (PROTOCOL_DRIVERS.has(n.drv) || FILTER_DRIVERS.has(n.drv)) continue;
    const p = imagePath(n.file);
    if (p && !byPath.has(p)) byPath.set(p, { format: n['node-name'], storage: storageByPath.get(p) });
  }
  return { byPath, names: nodes.map((n) => n['node-name']) };
}

interface BlockImage {
  filename: string;
  'backing-image'?: BlockImage;
}

/** The image paths of every disk's chain as QEMU has it now (query-block), top first. */
export async function diskChains(qmp: QmpTransport): Promise<string[][]> {
  const disks = await qmp.execute<Array<{ inserted?: { image: BlockImage } }>>('query-block');
  return disks.flatMap((d) => {
    if (!d.inserted) return [];
    const chain: string[] = [];
    for (let img: BlockImage | undefined = d.inserted.image; img; img = img['backing-image']) {
      chain.push(imagePath(img.filename) ?? img.filename);
    }
    return [chain];
  });
}

/** The format node of an image, or an internal error when QEMU has not opened it. */
export function nodeOf(byPath: Map<string, ImageNodes>, layer: ChainLayer): ImageNodes {
  const n = byPath.get(layer.path);
  if (!n) throw VirError.internal(`cannot find QEMU block node of image '${layer.path}'`);
  return n;
}

/** The next free `libvirt-N-*` index. */
export function nextNodeIndex(names: readonly string[]): number {
  let max = 0;
  for (const n of names) {
    const m = /^libvirt-(\d+)-/.exec(n);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

/** Open an image as a storage + format node pair (blockdev-add), with the given backing node. */
export async function attachImage(qmp: QmpTransport, layer: ChainLayer, index: number, backing: string | null): Promise<ImageNodes> {
  const storage = `libvirt-${index}-storage`;
  const format = `libvirt-${index}-format`;
  await qmp.execute('blockdev-add', {
    driver: layer.type === 'block' ? 'host_device' : 'file',
    filename: layer.path,
    'node-name': storage,
    'auto-read-only': true,
    discard: 'unmap',
  });
  const props: Record<string, unknown> = { 'node-name': format, 'read-only': false, driver: layer.format, file: storage };
  if (layer.format !== 'raw') props.backing = backing;
  try {
    await qmp.execute('blockdev-add', props);
  } catch (e) {
    await qmp.execute('blockdev-del', { 'node-name': storage }).catch(() => undefined);
    throw e;
  }
  return { format, storage };
}

/**
 * Delete node pairs that nothing uses any more. A node still referenced (e.g. by a snapshot
 * or another job) makes blockdev-del fail; that leaves the node open but is not an error of
 * the job that dropped it.
 */
export async function detachImages(qmp: QmpTransport, nodes: readonly ImageNodes[]): Promise<void> {
  for (const n of nodes) {
    const ok = await qmp.execute('blockdev-del', { 'node-name': n.format }).then(
      () => true,
      () => false,
    );
    if (ok && n.storage) await qmp.execute('blockdev-del', { 'node-name': n.storage }).catch(() => undefined);
  }
}
