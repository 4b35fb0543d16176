/**
 * Creating the file of a new volume in a dir pool: raw files directly (sparse up to the
 * requested allocation), every other format through `qemu-img create`; clones copy raw to raw
 * themselves and convert through `qemu-img convert` otherwise.
 */
import * as fs from 'node:fs';
import { ErrorNumber, StorageVolCreateFlags } from '@virtkit/core';
import { type StorageVolDef } from '@virtkit/xml';
import { checkFlags, storageError, systemError } from './errors';
import { allocate, copySparse } from './file-ops';
import type { QemuImg } from './qemu-img';

const PREALLOC = StorageVolCreateFlags.VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
const REFLINK = StorageVolCreateFlags.VIR_STORAGE_VOL_CREATE_REFLINK;
/** libvirt's default mode for new volume files. */
const DEFAULT_VOL_MODE = 0o600;
/** How libvirt prints an owner or group left unset ((uid_t)-1). */
export const UNSET_ID = 4294967295;
const CREATE_EXCL = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

const isRaw = (def: StorageVolDef) => (def.target.format ?? 'raw') === 'raw';

/** qemu-img's size argument as libvirt passes it: whole KiB, rounded up. */
const sizeArg = (bytes: bigint) => `${(bytes + 1023n) / 1024n}K`;

/** `-o` options for qemu-img create/convert from the volume definition. */
function imageOptions(def: StorageVolDef, flags: number): string[] {
  const t = def.target;
  const opts: string[] = [];
  if (t.format === 'qcow2') opts.push(`compat=${t.compat ?? '0.10'}`);
  if (flags & PREALLOC) opts.push(`preallocation=${def.capacity > def.allocation ? 'metadata' : 'falloc'}`);
  if (t.clusterSize) opts.push(`cluster_size=${t.clusterSize}`);
  for (const f of t.features ?? []) opts.push(`${f}=on`);
  if (t.nocow) opts.push('nocow=on');
  return opts.length ? ['-o', opts.join(',')] : [];
}

/** The refusals libvirt makes before touching the disk. */
function checkBuildable(def: StorageVolDef, flags: number): void {
  if (def.target.encryption) {
    throw storageError(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, 'volume encryption is not supported by this driver');
  }
  if (!isRaw(def)) return;
  if (flags & PREALLOC) {
    throw storageError(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, 'metadata preallocation is not supported for raw volumes');
  }
  if (def.backingStore) throw storageError(ErrorNumber.VIR_ERR_NO_SUPPORT, 'backing storage not supported for raw volumes');
}

/** Mode and (when the definition names them) owner and group of a new volume file. */
async function applyPerms(def: StorageVolDef): Promise<void> {
  const file = def.target.path!;
  const perms = def.target.perms ?? {};
  await fs.promises.chmod(file, perms.mode ?? DEFAULT_VOL_MODE);
  if (perms.owner !== undefined || perms.group !== undefined) {
    await fs.promises.chown(file, perms.owner ?? -1, perms.group ?? -1).catch((e) => {
      throw systemError(e, `cannot chown '${file}' to (${perms.owner ?? UNSET_ID}, ${perms.group ?? UNSET_ID})`);
    });
  }
}

/** Create the volume's file exclusively: from here on the path is ours to fill or remove. */
async function claimPath(def: StorageVolDef): Promise<fs.promises.FileHandle> {
  const file = def.target.path!;
  return fs.promises.open(file, CREATE_EXCL, DEFAULT_VOL_MODE).catch((e) => {
    throw systemError(e, `cannot create path '${file}'`);
  });
}

/** Make the claimed file `capacity` bytes with `allocation` bytes reserved, filled from `src` if given. */
async function fillRaw(fh: fs.promises.FileHandle, def: StorageVolDef, src?: string): Promise<void> {
  await fh.truncate(Number(def.capacity));
  await allocate(def.target.path!, fh, Number(def.allocation < def.capacity ? def.allocation : def.capacity));
  if (src) await copySparse(src, fh);
  await fh.sync();
}

async function createWithQemuImg(img: QemuImg, def: StorageVolDef, flags: number): Promise<void> {
  const args = ['create', '-f', def.target.format!];
  const backing = def.backingStore;
  if (backing?.path !== undefined) {
    await fs.promises.stat(backing.path).catch((e) => {
      throw systemError(e, `inaccessible backing store volume ${backing.path}`);
    });
    args.push('-b', backing.path, '-F', backing.format ?? 'raw');
  }
  args.push(...imageOptions(def, flags), def.target.path!);
  // Without a capacity the image takes its backing file's size.
  if (!(backing && def.capacity === 0n)) args.push(sizeArg(def.capacity));
  await img.run(args);
}

/** Claim the path, run `fill`, set permissions; on failure nothing is left behind. */
async function withClaimedPath(def: StorageVolDef, fill: (fh: fs.promises.FileHandle) => Promise<void>): Promise<void> {
  const fh = await claimPath(def);
  try {
    await fill(fh);
    await applyPerms(def);
  } catch (e) {
    await fs.promises.rm(def.target.path!, { force: true });
    throw e;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Create the file of a new volume (`def.target.path` must not exist yet). */
export async function buildVolume(img: QemuImg, def: StorageVolDef, flags: number): Promise<void> {
  checkBuildable(def, flags);
  await withClaimedPath(def, (fh) => (isRaw(def) ? fillRaw(fh, def) : createWithQemuImg(img, def, flags)));
}

/** Copy a raw volume into the claimed file, reflinked when asked (libvirt's "lightweight copy"). */
async function cloneRaw(fh: fs.promises.FileHandle, def: StorageVolDef, src: StorageVolDef, flags: number): Promise<void> {
  if (!(flags & REFLINK)) return fillRaw(fh, def, src.target.path);
  await fs.promises.copyFile(src.target.path!, def.target.path!, fs.constants.COPYFILE_FICLONE_FORCE).catch((e) => {
    throw systemError(e, `failed to clone files from '${src.target.path}'`);
  });
  await fs.promises.truncate(def.target.path!, Number(def.capacity));
}

/**
 * Create `def` filled with the contents of `src`. As in libvirt, the new capacity is at least
 * the source's, a format conversion gets the source's size, and no backing store is set up.
 */
export async function cloneVolume(img: QemuImg, def: StorageVolDef, src: StorageVolDef, flags: number): Promise<void> {
  if (def.capacity < src.capacity) def.capacity = src.capacity;
  if (!def.hasAllocation) def.allocation = def.capacity;
  delete def.backingStore;
  checkBuildable(def, flags);
  const raw = isRaw(def) && (src.target.format ?? 'raw') === 'raw';
  if (!raw) checkFlags(flags, PREALLOC, 'storageBackendCreateQemuImg');
  await withClaimedPath(def, async (fh) => {
    if (raw) return cloneRaw(fh, def, src, flags);
    const args = ['convert', '-f', src.target.format ?? 'raw', '-O', def.target.format!, ...imageOptions(def, flags)];
    await img.run([...args, src.target.path!, def.target.path!]);
  });
}
