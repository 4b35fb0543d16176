/**
 * The storage part of the QEMU driver's SPI for dir pools: the pool calls of dir-pools.ts plus
 * the volume calls — create (raw directly, other formats with qemu-img, optionally on a backing
 * store), clone, delete, wipe, resize, info and XML, lookups, upload and download.
 *
 * One instance owns one set of storage directories; connections to the same URI should share it.
 */
import * as fs from 'node:fs';
import {
  ErrorNumber,
  StorageVolCreateFlags,
  StorageVolDownloadFlags,
  StorageVolResizeFlags,
  StorageVolUploadFlags,
  type DriverConnection,
  type StoragePoolRef,
  type StorageVolInfo,
  type StorageVolRef,
  type VirStream,
} from '@virtkit/core';
import { VOL_TYPES, formatStorageVolXml, parseStorageVolXml, sanitizePath, type StorageVolDef } from '@virtkit/xml';
import { DirPools, type DirStorageOptions } from './dir-pools';
import { checkFlags, fileError, internalError, noVol, opInvalid, storageError } from './errors';
import { volumePath } from './pool-dir';
import { volRef, type PoolObj, type VolObj } from './pool-registry';
import { buildVolume, cloneVolume } from './vol-build';
import { downloadVolume, resizeTarget, resizeVolume, uploadVolume, wipeVolume } from './vol-data';
import { probeVolume, refreshVolume } from './vol-probe';

/** The SPI methods this module provides, for the connection to delegate. */
export type StorageMethods = Exclude<
  Extract<keyof DriverConnection, `storage${string}` | 'connectListAllStoragePools'>,
  'storagePoolEvents'
>;
export type StorageSpi = Required<Pick<DriverConnection, StorageMethods>>;

const PREALLOC = StorageVolCreateFlags.VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
const REFLINK = StorageVolCreateFlags.VIR_STORAGE_VOL_CREATE_REFLINK;
const RESIZE_FLAGS =
  StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_ALLOCATE |
  StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_DELTA |
  StorageVolResizeFlags.VIR_STORAGE_VOL_RESIZE_SHRINK;

const stillBuilding = (v: VolObj) => opInvalid(`volume '${v.def.name}' is still being allocated.`);

/** A volume that is neither being built nor transferred. */
function idle(v: VolObj): VolObj {
  if (v.building) throw stillBuilding(v);
  if (v.inUse > 0) throw opInvalid(`volume '${v.def.name}' is still in use.`);
  return v;
}

function adjustPoolAllocation(p: PoolObj, delta: bigint): void {
  p.def.allocation += delta;
  p.def.available -= delta;
}

export class DirStorage extends DirPools implements StorageSpi {
  /** Open the storage state in `opts`' directories (the active pools are rescanned). */
  static async open(opts: DirStorageOptions): Promise<DirStorage> {
    const s = new DirStorage(opts);
    await s.load();
    return s;
  }

  /** The volume behind a handle: its pool must be active (libvirt finds the pool by name). */
  private lookupVol(ref: StorageVolRef): { pool: PoolObj; vol: VolObj } {
    const pool = this.pools.byName(ref.pool);
    if (!pool.active) throw opInvalid(`storage pool '${pool.def.name}' is not active`);
    const vol = pool.volumes.get(ref.name);
    if (!vol) throw noVol(`no storage vol with matching name '${ref.name}'`);
    return { pool, vol };
  }

  /**
   * Run `work` on a volume marked in use (and its pool busy), after `check` passed under the
   * queue: pool refreshes and stops wait for it, other changes of the volume are refused.
   */
  private async withVolume<T>(ref: StorageVolRef, check: (v: VolObj) => void, work: (v: VolObj, p: PoolObj) => Promise<T>): Promise<T> {
    const { pool, vol } = await this.queue.run(() => {
      const found = this.lookupVol(ref);
      check(found.vol);
      found.vol.inUse++;
      found.pool.asyncJobs++;
      return found;
    });
    try {
      return await work(vol, pool);
    } finally {
      vol.inUse--;
      pool.asyncJobs--;
    }
  }

  /**
   * Add `def` to the pool as a volume under construction, after libvirt's name checks (a name
   * with `/` never reaches the filesystem); `buildReserved` then creates its file.
   */
  private reserveVolume(p: PoolObj, def: StorageVolDef, duplicate: () => Error): VolObj {
    if (def.name.includes('/')) throw opInvalid(`volume name '${def.name}' cannot contain '/'`);
    if (p.volumes.has(def.name)) throw duplicate();
    def.type = 'file';
    def.target.path = volumePath(p.def.target.path!, def.name);
    def.key = def.target.path;
    const v: VolObj = { def, building: true, inUse: 0 };
    p.volumes.set(def.name, v);
    p.asyncJobs++;
    return v;
  }

  /** Build a reserved volume's file with `build`; on failure the volume is forgotten again. */
  private async buildReserved(p: PoolObj, v: VolObj, build: () => Promise<void>): Promise<StorageVolRef> {
    try {
      const exists = await fs.promises.lstat(v.def.target.path!).then(
        () => true,
        () => false,
      );
      if (exists) throw opInvalid(`volume target path '${v.def.target.path}' already exists`);
      await build();
      await refreshVolume(this.img, v.def);
      v.building = false;
      adjustPoolAllocation(p, v.def.allocation);
      return volRef(p, v);
    } catch (e) {
      p.volumes.delete(v.def.name);
      throw e;
    } finally {
      p.asyncJobs--;
    }
  }

  async storageVolCreateXML(pool: StoragePoolRef, xmlDesc: string, flags: number): Promise<StorageVolRef> {
    checkFlags(flags, PREALLOC, 'storageVolCreateXML');
    const { p, v } = await this.queue.run(() => {
      const p = this.pools.active(pool);
      const def = parseStorageVolXml(xmlDesc, 'dir', { optCapacity: true });
      return { p, v: this.reserveVolume(p, def, () => storageError(ErrorNumber.VIR_ERR_STORAGE_VOL_EXIST, `'${def.name}'`)) };
    });
    return this.buildReserved(p, v, () => buildVolume(this.img, v.def, flags));
  }

  async storageVolCreateXMLFrom(pool: StoragePoolRef, xmlDesc: string, clonevol: StorageVolRef, flags: number): Promise<StorageVolRef> {
    checkFlags(flags, PREALLOC | REFLINK, 'storageVolCreateXMLFrom');
    const { p, v, src } = await this.queue.run(() => {
      const p = this.pools.active(pool);
      const src = this.lookupVol(clonevol);
      if (src.vol.building) throw stillBuilding(src.vol);
      const def = parseStorageVolXml(xmlDesc, 'dir', { noCapacity: true });
      const v = this.reserveVolume(p, def, () => internalError(`storage volume name '${def.name}' already in use.`));
      src.vol.inUse++;
      src.pool.asyncJobs++;
      return { p, v, src };
    });
    try {
      return await this.buildReserved(p, v, () => cloneVolume(this.img, v.def, src.vol.def, flags));
    } finally {
      src.vol.inUse--;
      src.pool.asyncJobs--;
    }
  }

  async storageVolDelete(vol: StorageVolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'virStorageBackendVolDeleteLocal');
    await this.queue.run(async () => {
      const { pool, vol: v } = this.lookupVol(vol);
      idle(v);
      const file = v.def.target.path!;
      const remove = v.def.type === 'dir' ? fs.promises.rmdir(file) : fs.promises.unlink(file);
      await remove.catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw fileError(e, `cannot unlink file '${file}'`);
      });
      pool.volumes.delete(v.def.name);
      adjustPoolAllocation(pool, -v.def.allocation);
    });
  }

  async storageVolWipe(vol: StorageVolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'storageVolWipePattern');
    await this.withVolume(vol, idle, async (v, p) => {
      await wipeVolume(v.def);
      // The zeros may have erased an image header: probe the file again, format included.
      v.def = (await probeVolume(this.img, p.def.target.path!, v.def.name)) ?? v.def;
    });
  }

  async storageVolResize(vol: StorageVolRef, capacity: number, flags: number): Promise<void> {
    checkFlags(flags, RESIZE_FLAGS, 'storageVolResize');
    await this.withVolume(vol, idle, async (v, p) => {
      const target = resizeTarget(v.def, BigInt(capacity), flags, p.def.available);
      const before = v.def.allocation;
      await resizeVolume(this.img, v.def, target, flags);
      await refreshVolume(this.img, v.def);
      adjustPoolAllocation(p, v.def.allocation - before);
    });
  }

  async storageVolUpload(vol: StorageVolRef, stream: VirStream, offset: number, length: number, flags: number): Promise<void> {
    checkFlags(flags, StorageVolUploadFlags.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM, 'storageVolUpload');
    await this.withVolume(vol, idle, async (v, p) => {
      await uploadVolume(v.def, stream, offset, length);
      // What was uploaded may be an image of another format (libvirt refreshes the pool).
      v.def = (await probeVolume(this.img, p.def.target.path!, v.def.name)) ?? v.def;
    });
  }

  async storageVolDownload(vol: StorageVolRef, stream: VirStream, offset: number, length: number, flags: number): Promise<void> {
    checkFlags(flags, StorageVolDownloadFlags.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM, 'storageVolDownload');
    await this.withVolume(
      vol,
      (v) => {
        if (v.building) throw stillBuilding(v);
      },
      (v) => downloadVolume(v.def, stream, offset, length),
    );
  }

  /** A built volume with sizes, ownership and times re-read from its file. */
  private async freshVolume(ref: StorageVolRef): Promise<VolObj> {
    const { vol } = this.lookupVol(ref);
    if (vol.building) throw stillBuilding(vol);
    if (!(await refreshVolume(this.img, vol.def))) {
      throw fileError(Object.assign(new Error(), { code: 'ENOENT' }), `cannot stat file '${vol.def.target.path}'`);
    }
    return vol;
  }

  async storageVolGetInfo(vol: StorageVolRef): Promise<StorageVolInfo> {
    const { def } = await this.freshVolume(vol);
    return { type: VOL_TYPES.indexOf(def.type), capacity: Number(def.capacity), allocation: Number(def.allocation) };
  }

  async storageVolGetXMLDesc(vol: StorageVolRef, flags: number): Promise<string> {
    checkFlags(flags, 0, 'storageVolGetXMLDesc');
    return formatStorageVolXml((await this.freshVolume(vol)).def, 'dir');
  }

  async storageVolGetPath(vol: StorageVolRef): Promise<string> {
    return this.lookupVol(vol).vol.def.target.path!;
  }

  async storageVolLookupByName(pool: StoragePoolRef, name: string): Promise<StorageVolRef> {
    const p = this.pools.active(pool);
    const v = p.volumes.get(name);
    if (!v) throw noVol(`no storage vol with matching name '${name}'`);
    return volRef(p, v);
  }

  async storageVolLookupByKey(key: string): Promise<StorageVolRef> {
    for (const [p, v] of this.pools.activeVolumes()) if (v.def.key === key) return volRef(p, v);
    throw noVol(`no storage vol with matching key ${key}`);
  }

  async storageVolLookupByPath(path: string): Promise<StorageVolRef> {
    const clean = sanitizePath(path);
    for (const [p, v] of this.pools.activeVolumes()) if (v.def.target.path === clean) return volRef(p, v);
    throw noVol(`no storage vol with matching path '${path}'`);
  }
}
