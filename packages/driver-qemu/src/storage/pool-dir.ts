/** The directory behind a dir pool: build, check, scan for volumes, measure, delete. */
import * as fs from 'node:fs';
import { StoragePoolBuildFlags } from '@virtkit/core';
import { type StoragePoolDef, type StorageVolDef } from '@virtkit/xml';
import { checkExclusive, checkFlags, fileError, opInvalid, systemError } from './errors';
import type { QemuImg } from './qemu-img';
import { probeVolume, statFacts } from './vol-probe';
import { UNSET_ID } from './vol-build';

const OVERWRITE = StoragePoolBuildFlags.VIR_STORAGE_POOL_BUILD_OVERWRITE;
const NO_OVERWRITE = StoragePoolBuildFlags.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
const PROBE_PARALLEL = 4;
/** libvirt's mode for pool directories whose definition gives none. */
const DEFAULT_POOL_MODE = 0o711;

/**
 * Create the pool directory (and its parents) with the definition's mode and ownership, or fix
 * those of an existing one. The format flags only make sense for pools on a device, so a dir
 * pool refuses them after creating the directory, as libvirt does.
 */
export async function buildPoolDir(def: StoragePoolDef, flags: number): Promise<void> {
  checkFlags(flags, OVERWRITE | NO_OVERWRITE, 'virStorageBackendFileSystemBuild');
  checkExclusive(flags, OVERWRITE, 'VIR_STORAGE_POOL_BUILD_OVERWRITE', NO_OVERWRITE, 'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE');
  const dir = def.target.path!;
  const perms = def.target.perms;
  const created = await fs.promises.mkdir(dir, { recursive: true }).catch((e) => {
    throw fileError(e, `cannot create directory '${dir}'`);
  });
  try {
    await fs.promises.chmod(dir, perms.mode ?? DEFAULT_POOL_MODE);
    if (perms.owner !== undefined || perms.group !== undefined) {
      await fs.promises.chown(dir, perms.owner ?? -1, perms.group ?? -1).catch((e) => {
        throw fileError(e, `cannot chown '${dir}' to (${perms.owner ?? UNSET_ID}, ${perms.group ?? UNSET_ID})`);
      });
    }
  } catch (e) {
    if (created === dir) await fs.promises.rmdir(dir).catch(() => undefined);
    throw e;
  }
  if (flags & (OVERWRITE | NO_OVERWRITE)) throw opInvalid(`No source device specified when formatting pool '${def.name}'`);
}

/** Remove the (empty) pool directory. */
export async function deletePoolDir(def: StoragePoolDef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'virStorageBackendDeleteLocal');
  await fs.promises.rmdir(def.target.path!).catch((e) => {
    throw systemError(e, `failed to remove pool '${def.target.path}'`);
  });
}

/**
 * Rescan the pool: every entry of the directory that is a volume, and the pool's sizes and
 * directory ownership (capacity and free space of the filesystem holding it).
 */
export async function scanPoolDir(img: QemuImg, def: StoragePoolDef): Promise<Map<string, StorageVolDef>> {
  const dir = def.target.path!;
  const names = await fs.promises.readdir(dir).catch((e) => {
    throw fileError(e, `cannot open directory '${dir}'`);
  });
  const vols = new Map<string, StorageVolDef>();
  // A few qemu-img probes at a time: each one is a process start.
  const sorted = names.sort();
  for (let i = 0; i < sorted.length; i += PROBE_PARALLEL) {
    const batch = sorted.slice(i, i + PROBE_PARALLEL);
    const found = await Promise.all(batch.map((name) => probeVolume(img, dir, name)));
    found.forEach((vol, j) => vol && vols.set(batch[j], vol));
  }
  await measurePool(def);
  const facts = await statFacts(dir);
  if (facts) def.target.perms = { ...def.target.perms, mode: facts.mode, owner: facts.uid, group: facts.gid };
  return vols;
}

/**
 * Capacity, allocation and available bytes of the filesystem holding the pool (statvfs). As
 * libvirt, "available" counts all free blocks, the root-reserved ones included, so that
 * allocation + available = capacity.
 */
async function measurePool(def: StoragePoolDef): Promise<void> {
  const st = await fs.promises.statfs(def.target.path!, { bigint: true });
  def.capacity = st.blocks * st.bsize;
  def.allocation = (st.blocks - st.bfree) * st.bsize;
  def.available = st.bfree * st.bsize;
}

/** The path a volume named `name` gets in pool directory `dir`. */
export function volumePath(dir: string, name: string): string {
  // Plain concatenation, as libvirt: `.` and `..` must not be normalised away.
  return `${dir}/${name}`;
}
