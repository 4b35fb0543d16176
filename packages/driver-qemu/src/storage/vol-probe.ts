/**
 * What a file in a dir pool is, as a volume definition: `stat` for sizes, ownership and times,
 * `qemu-img info` for format, capacity and backing store. A full probe (pool refresh) also reads
 * the qcow2 header details; a volume refresh (after create, resize, upload...) only updates the
 * sizes, permissions and times of a known volume, as libvirt's refreshVol does.
 */
import * as fs from 'node:fs';
import { poolTypeInfo, type StorageVolDef, type VolTarget } from '@virtkit/xml';
import type { ImageInfo, QemuImg } from './qemu-img';

interface FileFacts {
  kind: 'file' | 'dir' | 'other';
  size: bigint;
  /** Bytes actually allocated (st_blocks * 512). */
  allocated: bigint;
  mode: number;
  uid: number;
  gid: number;
  atime: [bigint, number];
  mtime: [bigint, number];
  ctime: [bigint, number];
}

const NS = 1_000_000_000n;
const split = (ns: bigint): [bigint, number] => [ns / NS, Number(ns % NS)];

/** stat() following symlinks; undefined when the path is gone. */
export async function statFacts(file: string): Promise<FileFacts | undefined> {
  let st: fs.BigIntStats;
  try {
    st = await fs.promises.stat(file, { bigint: true });
  } catch {
    return undefined;
  }
  return {
    kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other',
    size: st.size,
    allocated: st.blocks * 512n,
    mode: Number(st.mode & 0o777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    atime: split(st.atimeNs),
    mtime: split(st.mtimeNs),
    ctime: split(st.ctimeNs),
  };
}

/** Ownership and times of `t` from the file; libvirt on Linux has no birth time and prints 0. */
function applyFacts(t: VolTarget, f: FileFacts): void {
  t.perms = { ...t.perms, mode: f.mode, owner: f.uid, group: f.gid };
  t.timestamps = { atime: f.atime, mtime: f.mtime, ctime: f.ctime, btime: [0n, 0] };
}

const FILE_FORMATS = poolTypeInfo('dir').volFormats!.names;

/** A format name libvirt knows, else raw (libvirt's prober reports unknown images as raw). */
function knownFormat(name: string): string {
  return FILE_FORMATS.indexOf(name) > 0 ? name : 'raw';
}

/** `<backingStore>` of an image: where it points, its format, and its file's ownership if it exists. */
async function backingTarget(info: ImageInfo): Promise<VolTarget | undefined> {
  if (info.backingPath === undefined) return undefined;
  const t: VolTarget = { path: info.backingPath, format: knownFormat(info.backingFormat ?? 'raw'), perms: {} };
  const facts = await statFacts(info.backingPath);
  if (facts) applyFacts(t, facts);
  return t;
}

function setSizes(def: StorageVolDef, f: FileFacts, capacity: bigint): void {
  def.capacity = capacity;
  def.allocation = f.allocated;
  def.physical = f.size;
}

/**
 * The volume for entry `name` of pool directory `dir`, or undefined for what libvirt skips
 * (vanished entries, dangling links, sockets, FIFOs, devices, images qemu-img cannot read).
 */
export async function probeVolume(img: QemuImg, dir: string, name: string): Promise<StorageVolDef | undefined> {
  const file = `${dir}/${name}`;
  const facts = await statFacts(file);
  if (!facts) return undefined;
  const def: StorageVolDef = {
    type: 'file',
    name,
    key: file,
    extents: [],
    capacity: 0n,
    allocation: 0n,
    hasAllocation: true,
    physical: 0n,
    target: { path: file },
  };
  if (facts.kind === 'dir') {
    def.type = 'dir';
    def.target.format = 'dir';
    applyFacts(def.target, facts);
    return def;
  }
  if (facts.kind !== 'file') return undefined;
  let info: ImageInfo;
  try {
    info = await img.info(file);
  } catch {
    return undefined;
  }
  const format = knownFormat(info.format);
  def.target.format = format;
  setSizes(def, facts, format === 'raw' ? facts.size : info.virtualSize);
  applyFacts(def.target, facts);
  if (format === 'qcow2') {
    // qcow2 v2 (compat 0.10) has no compat field or feature bits in its header.
    if (info.compat !== undefined && info.compat !== '0.10') {
      def.target.compat = info.compat;
      def.target.features = info.features ?? [];
    }
    if (info.clusterSize !== undefined) def.target.clusterSize = info.clusterSize;
  }
  def.backingStore = await backingTarget(info);
  return def;
}

/**
 * Bring sizes, ownership and times of a known volume up to date (its format stays as defined).
 * Returns false when the file is gone.
 */
export async function refreshVolume(img: QemuImg, def: StorageVolDef): Promise<boolean> {
  const file = def.target.path!;
  const facts = await statFacts(file);
  if (!facts) return false;
  applyFacts(def.target, facts);
  if (def.type === 'dir') return true;
  const format = def.target.format ?? 'raw';
  const capacity = format === 'raw' ? facts.size : (await img.info(file, format)).virtualSize;
  setSizes(def, facts, capacity);
  if (def.backingStore?.path !== undefined) {
    const b = await statFacts(def.backingStore.path);
    if (b) applyFacts(def.backingStore, b);
  }
  return true;
}
