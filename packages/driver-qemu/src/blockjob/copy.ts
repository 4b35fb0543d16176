/**
 * Block copy set-up: the destination (from `<disk>` XML or blockRebase's flags), checked and
 * created as libvirt does (qemu-img instead of blockdev-create), opened in QEMU as a new node
 * pair over the source's backing node (shallow) or over nothing (full), and the
 * blockdev-mirror arguments that start mirroring into it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainBlockCopyFlags as Copy, ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml } from '@virtkit/xml';
import type { QmpTransport } from '../qmp/client';
import { imageSize } from './chain';
import * as err from './errors';
import { createImage, probeFormat } from './images';
import { attachImage, blockNodes, detachImages, nextNodeIndex, nodeOf, type ImageNodes } from './nodes';
import type { ChainLayer } from './types';

export interface CopyTarget {
  path: string;
  type: 'file' | 'block';
  /** `<driver type>`; undefined means "as the source" (or probed, for a reused image). */
  format?: string;
}

export interface CopyTunables {
  /** bytes/s; 0 for none */
  speed: number;
  granularity?: number;
  bufSize?: number;
}

/** Parse the destination XML of virDomainBlockCopy (`<disk type=...><source .../>`). */
export function parseCopyTarget(xml: string): CopyTarget {
  const el = parseXml(xml);
  if (el.name !== 'disk') throw VirError.xml(`unexpected root element <${el.name}>, expecting <disk>`);
  const type = el.attr('type') ?? 'file';
  if (type !== 'file' && type !== 'block') {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_QEMU,
      `block copy to a disk of type '${type}' is not supported`,
    );
  }
  const p = el.element('source')?.attr(type === 'file' ? 'file' : 'dev');
  if (!p) throw VirError.xml('missing source path in block copy destination');
  return { path: p, type, format: el.element('driver')?.attr('type') };
}

/** A mirror target ready in QEMU. */
export interface MirrorSetup {
  layer: ChainLayer;
  /** Nodes by image path, the target's included. */
  byPath: Map<string, ImageNodes>;
  args: Record<string, unknown>;
  /** Close the target again (and remove it if we created it) when the job does not start. */
  undo(): Promise<void>;
}

/** Check, create and open the target; the chain is the disk's, top first. */
export async function prepareMirror(
  qmp: QmpTransport,
  chain: ChainLayer[],
  dst: string,
  target: CopyTarget,
  tun: CopyTunables,
  flags: number,
  qemuImg: string,
): Promise<MirrorSetup> {
  if (!path.isAbsolute(target.path)) throw err.copyTargetNotAbsolute();
  const shallow = (flags & Copy.VIR_DOMAIN_BLOCK_COPY_SHALLOW) !== 0;
  const reuse = (flags & Copy.VIR_DOMAIN_BLOCK_COPY_REUSE_EXT) !== 0;
  const st = await fs.promises.stat(target.path).catch(() => undefined);
  if (reuse && !st) throw err.copyTargetMissing(dst, target.path);
  if (!reuse && st && !st.isBlockDevice()) throw err.copyTargetExists(dst, target.path);
  const keepBacking = shallow && chain.length > 1;
  const format = target.format ?? (reuse ? await probeFormat(target.path, qemuImg) : chain[0].format);
  if (keepBacking && format === 'raw') throw err.shallowRawCopy(dst);
  const layer: ChainLayer = { path: target.path, type: target.type, format };
  const { byPath, names } = await blockNodes(qmp);
  const source = nodeOf(byPath, chain[0]);
  const backingNode = keepBacking ? nodeOf(byPath, chain[1]).format : null;
  if (!reuse) await createImage(layer, await imageSize(chain[0].path, qemuImg), keepBacking ? chain[1] : undefined, qemuImg);
  const removeCreated = async () => {
    if (!reuse) await fs.promises.rm(target.path, { force: true });
  };
  let nodes: ImageNodes;
  try {
    nodes = await attachImage(qmp, layer, nextNodeIndex(names), backingNode);
  } catch (e) {
    await removeCreated();
    throw e;
  }
  byPath.set(layer.path, nodes);
  const args: Record<string, unknown> = { device: source.format, target: nodes.format, sync: shallow ? 'top' : 'full' };
  if (tun.speed) args.speed = tun.speed;
  if (tun.granularity) args.granularity = tun.granularity;
  if (tun.bufSize) args['buf-size'] = tun.bufSize;
  if (flags & Copy.VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES) args['copy-mode'] = 'write-blocking';
  return {
    layer,
    byPath,
    args,
    undo: async () => {
      await detachImages(qmp, [nodes]);
      await removeCreated();
    },
  };
}
