/**
 * A disk's backing chain: read from the definition (`<source>` + nested `<backingStore>`), probed
 * from the images (qcow2 headers, else `qemu-img info --backing-chain`) when the definition does
 * not record it (libvirt's qemuDomainDetermineDiskChain), written back after a job changed it, and searched
 * for the `base`/`top` arguments of the block job calls (virStorageSourceChainLookup).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ErrorDomain, VirError } from '@virtkit/core';
import { mkEl, type DomainDevice, type XmlElement } from '@virtkit/xml';
import { imageNotBeneath, imageNotInChain } from './errors';
import { readQcow2Header } from './qcow2';
import type { ChainLayer } from './types';

const run = promisify(execFile);

/** A layer as the image headers describe it, with the backing string stored in its overlay. */
export interface ProbedLayer extends ChainLayer {
  /** The backing file name exactly as this image's header stores it (relative or absolute). */
  backingRaw?: string;
}

const SOURCE_ATTR: Record<string, string> = { file: 'file', block: 'dev' };

function layerOf(holder: XmlElement, format: string | undefined): ChainLayer | undefined {
  const type = holder.attr('type') ?? 'file';
  const attr = SOURCE_ATTR[type];
  const p = attr ? holder.element('source')?.attr(attr) : undefined;
  if (!p) return undefined;
  return { path: p, format: format ?? 'raw', type };
}

/**
 * The chain the definition records, top first. `complete` is false when the record stops
 * without a terminating `<backingStore/>` (the rest is unknown and must be probed).
 */
export function readDiskChain(dev: DomainDevice): { layers: ChainLayer[]; complete: boolean } {
  const layers: ChainLayer[] = [];
  const top = layerOf(dev.el, dev.el.element('driver')?.attr('type'));
  if (!top) return { layers, complete: true };
  layers.push(top);
  let holder = dev.el;
  for (;;) {
    const bs = holder.element('backingStore');
    if (!bs) return { layers, complete: false };
    if (bs.attr('type') === undefined) return { layers, complete: true };
    const layer = layerOf(bs, bs.element('format')?.attr('type'));
    if (!layer) return { layers, complete: false };
    layers.push(layer);
    holder = bs;
  }
}

interface ImageInfo {
  filename: string;
  format: string;
  'backing-filename'?: string;
  'full-backing-filename'?: string;
  'virtual-size': number;
}

/** `qemu-img info --backing-chain` of an image (shared lock: QEMU may hold the images). */
async function qemuImgChain(image: string, qemuImg: string): Promise<ProbedLayer[]> {
  let out: string;
  try {
    ({ stdout: out } = await run(qemuImg, ['info', '-U', '--backing-chain', '--output=json', image], { maxBuffer: 16 << 20 }));
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw VirError.internal(`failed to read the backing chain of '${image}': ${stderr || (e as Error).message}`);
  }
  const infos = JSON.parse(out) as ImageInfo[];
  return infos.map((i) => ({ path: path.resolve(i.filename), format: i.format, type: 'file', backingRaw: i['backing-filename'] }));
}

/** libvirt's limit on chain depth (virStorageSource chains of more than 200 layers are refused). */
const MAX_DEPTH = 200;

/**
 * The chain below (and including) an image, top first: qcow2 headers read directly, anything
 * else (other formats, `json:` backing names) left to `qemu-img info --backing-chain`.
 */
export async function probeChain(image: string, qemuImg = 'qemu-img'): Promise<ProbedLayer[]> {
  const out: ProbedLayer[] = [];
  let file = path.resolve(image);
  let format: string | undefined;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const header = await readQcow2Header(file).catch(() => undefined);
    const type = (await fs.promises.stat(file).catch(() => undefined))?.isBlockDevice() ? 'block' : 'file';
    if (!header) {
      if (format === 'raw') return [...out, { path: file, format, type }];
      return [...out, ...(await qemuImgChain(file, qemuImg))];
    }
    if (header.backing?.startsWith('json:')) return [...out, ...(await qemuImgChain(file, qemuImg))];
    out.push({ path: file, format: 'qcow2', type, backingRaw: header.backing });
    if (!header.backing) return out;
    format = header.backingFormat;
    file = path.resolve(path.dirname(file), header.backing);
  }
  throw VirError.operationInvalid(
    `backing chains more than ${MAX_DEPTH} layers deep are not supported for disk '${image}'`,
    ErrorDomain.VIR_FROM_QEMU,
  );
}

/** Virtual size of an image in bytes. */
export async function imageSize(image: string, qemuImg = 'qemu-img'): Promise<number> {
  const header = await readQcow2Header(image).catch(() => undefined);
  if (header) return header.virtualSize;
  const { stdout } = await run(qemuImg, ['info', '-U', '--output=json', image]);
  return (JSON.parse(stdout) as ImageInfo)['virtual-size'];
}

/** The full chain of a disk: the recorded part, completed from the images when needed. */
export async function diskChain(dev: DomainDevice, qemuImg?: string): Promise<ChainLayer[]> {
  const { layers, complete } = readDiskChain(dev);
  if (complete || layers.length === 0) return layers;
  const last = layers[layers.length - 1];
  const probed = await probeChain(last.path, qemuImg);
  return [...layers, ...probed.slice(1).map(({ path: p, format, type }) => ({ path: p, format, type }))];
}

function backingStoreEl(layers: readonly ChainLayer[]): XmlElement {
  if (layers.length === 0) return mkEl('backingStore');
  const [l, ...rest] = layers;
  return mkEl(
    'backingStore',
    [['type', l.type]],
    [mkEl('format', [['type', l.format]]), mkEl('source', [[SOURCE_ATTR[l.type] ?? 'file', l.path]]), backingStoreEl(rest)],
  );
}

function replaceChild(parent: XmlElement, name: string, child: XmlElement, after: string[]): void {
  const i = parent.children.findIndex((c) => c.kind === 'element' && c.name === name);
  if (i >= 0) {
    parent.children[i] = child;
    return;
  }
  let at = -1;
  parent.children.forEach((c, idx) => {
    if (c.kind === 'element' && after.includes(c.name)) at = idx;
  });
  parent.children.splice(at + 1, 0, child);
}

/**
 * Record `layers` (top first) as the disk's chain: the top becomes `<source>` and
 * `<driver type>`, the rest nested `<backingStore>` elements ending with an empty one, as
 * libvirt's live XML shows a fully known chain. The typed view follows.
 */
export function writeDiskChain(dev: DomainDevice, layers: readonly ChainLayer[]): void {
  const [top, ...below] = layers;
  const el = dev.el;
  if (el.attr('type') !== top.type) el.attrs.set('type', top.type);
  let src = el.element('source');
  if (!src) {
    src = mkEl('source');
    replaceChild(el, 'source', src, ['driver', 'auth']);
  }
  for (const a of Object.values(SOURCE_ATTR)) src.attrs.delete(a);
  src.attrs.delete('index');
  const attrs = [...src.attrs];
  src.attrs.clear();
  src.attrs.set(SOURCE_ATTR[top.type] ?? 'file', top.path);
  for (const [k, v] of attrs) src.attrs.set(k, v);
  let driver = el.element('driver');
  if (!driver) {
    driver = mkEl('driver', [['name', 'qemu']]);
    el.children.unshift(driver);
  }
  driver.attrs.set('type', top.format);
  replaceChild(el, 'backingStore', backingStoreEl(below), ['driver', 'auth', 'source']);
  const disk = dev.disk!;
  disk.type = top.type;
  disk.source = { ...disk.source, type: top.type, path: top.path, format: top.format };
  disk.driverType = top.format;
  disk.backingStore = below.map((l) => ({ type: l.type, path: l.path, format: l.format }));
}

/** Whether `name` designates `layer` (its path as given, or resolved to an absolute path). */
function matches(name: string, layer: ChainLayer): boolean {
  return name === layer.path || path.resolve(name) === layer.path;
}

/** Index of the image `name` in `layers` (top first), or an INVALID_ARG naming the disk. */
export function lookupLayer(layers: readonly ChainLayer[], name: string, dst: string): number {
  const i = layers.findIndex((l) => matches(name, l));
  if (i < 0) throw imageNotInChain(name, dst);
  return i;
}

/**
 * Index of the image `name` strictly below `from`; without a name, the bottom of the chain.
 */
export function lookupBelow(layers: readonly ChainLayer[], from: number, name: string | null, dst: string): number {
  if (name === null) return layers.length - 1;
  for (let i = from + 1; i < layers.length; i++) if (matches(name, layers[i])) return i;
  throw imageNotBeneath(name, layers[from].path, dst);
}
