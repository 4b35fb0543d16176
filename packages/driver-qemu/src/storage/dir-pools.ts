import * as path from 'node:path';
import { POOL_TYPES, formatStoragePoolXml, parseStoragePoolXml, type StoragePoolDef } from '@virtkit/xml';
import {
  StoragePoolBuildFlags as B,
  StoragePoolCreateFlags as C,
  StoragePoolDefineFlags,
  StorageXMLFlags,
  type StoragePoolInfo,
  type StoragePoolRef,
  type StorageVolRef,
} from '@virtkit/core';
import { checkExclusive, checkFlags, internalError, noPool, opInvalid } from './errors';
import { PoolFiles, type StorageDirs } from './pool-files';
import { buildPoolDir, deletePoolDir, scanPoolDir } from './pool-dir';
import { PoolRegistry, poolRef, poolState, volRef, type PoolObj, type VolObj } from './pool-registry';
import { QemuImg, type QemuImgOptions } from './qemu-img';
import { SerialQueue } from './serial';

export interface DirStorageOptions extends StorageDirs {
  qemuImg?: QemuImgOptions;
}

const CREATE_FLAGS =
  C.VIR_STORAGE_POOL_CREATE_WITH_BUILD | C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE | C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;

/** virStoragePoolCreate's build flags as virStoragePoolBuild's, or undefined when no build was asked. */
function buildFlagsOf(flags: number, fn: string): number | undefined {
  checkFlags(flags, CREATE_FLAGS, fn);
  checkExclusive(
    flags,
    C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE,
    'VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE',
    C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE,
    'VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE',
  );
  if (flags & C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE) return B.VIR_STORAGE_POOL_BUILD_OVERWRITE;
  if (flags & C.VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE) return B.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
  return flags & C.VIR_STORAGE_POOL_CREATE_WITH_BUILD ? 0 : undefined;
}

/** Only dir pools have a backend here; libvirt answers the same for a type it was built without. */
function parseDirPool(xml: string): StoragePoolDef {
  const def = parseStoragePoolXml(xml);
  if (def.type !== 'dir') throw internalError(`missing backend for pool type ${POOL_TYPES.indexOf(def.type)} (${def.type})`);
  return def;
}

const busy = (p: PoolObj) => opInvalid(`pool '${p.def.name}' has asynchronous jobs running.`);

export class DirPools {
  protected readonly pools = new PoolRegistry();
  protected readonly files: PoolFiles;
  protected readonly img: QemuImg;
  /** Pool state changes and volume reservations run one at a time. */
  protected readonly queue = new SerialQueue();

  protected constructor(opts: DirStorageOptions) {
    this.files = new PoolFiles(opts);
    this.img = new QemuImg(opts.qemuImg);
  }

  /** Read the definitions and the active pools' state back, rescanning the active pools. */
  protected async load(): Promise<void> {
    for (const saved of await this.files.loadConfigs()) {
      const p = this.pools.add(saved.def);
      p.persistent = true;
      p.autostart = saved.autostart;
    }
    for (const live of await this.files.loadStates()) {
      let p = this.pools.all().find((o) => o.def.name === live.name && o.def.uuid === live.uuid);
      if (p) {
        p.newDef = p.def;
        p.def = live;
      } else p = this.pools.add(live);
      await this.start(p).catch(() => this.stopped(p!));
    }
  }

  /** Start the persistent pools marked autostart, once per boot of the host. */
  async autostartPools(): Promise<void> {
    if (!(await this.files.claimAutostart())) return;
    for (const p of this.pools.all()) {
      if (p.autostart && !p.active) await this.queue.run(() => this.start(p)).catch(() => undefined);
    }
  }

  /** Scan the directory (which must exist), then record the pool as running. */
  private async start(p: PoolObj): Promise<void> {
    await this.rescan(p);
    p.active = true;
    await this.files.saveState(p.def);
  }

  /** Replace the volume list from the directory. */
  protected async rescan(p: PoolObj): Promise<void> {
    const found = await scanPoolDir(this.img, p.def);
    p.volumes = new Map([...found].map(([name, def]): [string, VolObj] => [name, { def, building: false, inUse: 0 }]));
  }

  /** The pool stopped: forget its volumes and state; a transient one disappears. */
  private async stopped(p: PoolObj): Promise<void> {
    p.active = false;
    p.volumes.clear();
    await this.files.removeState(p.def.name);
    if (!p.persistent) this.pools.remove(p);
    else if (p.newDef) {
      p.def = p.newDef;
      p.newDef = undefined;
    }
  }

  async connectListAllStoragePools(flags: number): Promise<StoragePoolRef[]> {
    return this.pools.list(flags).map(poolRef);
  }

  /**
   * virStoragePoolLookupByTargetPath (what a migration destination uses to pre-create a disk):
   * the active pool whose target directory is `dir`.
   */
  poolByTargetPath(dir: string): StoragePoolRef {
    const want = path.resolve(dir);
    const p = this.pools.all().find((o) => o.active && o.def.target.path !== undefined && path.resolve(o.def.target.path) === want);
    if (!p) throw noPool(`no storage pool with matching target path '${dir}'`);
    return poolRef(p);
  }

  async storagePoolLookupByName(name: string): Promise<StoragePoolRef> {
    return poolRef(this.pools.byName(name));
  }

  async storagePoolLookupByUUIDString(uuidstr: string): Promise<StoragePoolRef> {
    return poolRef(this.pools.byUUID(uuidstr));
  }

  async storagePoolLookupByVolume(vol: StorageVolRef): Promise<StoragePoolRef> {
    return poolRef(this.pools.byName(vol.pool));
  }

  async storagePoolDefineXML(xml: string, flags: number): Promise<StoragePoolRef> {
    checkFlags(flags, StoragePoolDefineFlags.VIR_STORAGE_POOL_DEFINE_VALIDATE, 'storagePoolDefineXML');
    const def = parseDirPool(xml);
    return this.queue.run(async () => {
      const existing = this.pools.findForDefinition(def, false);
      await this.files.saveConfig(def);
      const p = existing ?? this.pools.add(def);
      if (existing?.active) existing.newDef = def;
      else p.def = def;
      p.persistent = true;
      return poolRef(p);
    });
  }

  async storagePoolCreateXML(xmlDesc: string, flags: number): Promise<StoragePoolRef> {
    const buildFlags = buildFlagsOf(flags, 'storagePoolCreateXML');
    const def = parseDirPool(xmlDesc);
    return this.queue.run(async () => {
      const existing = this.pools.findForDefinition(def, true);
      const p = existing ?? this.pools.add(def);
      const previous = p.def;
      if (existing) p.newDef = previous;
      p.def = def;
      try {
        if (buildFlags !== undefined) await buildPoolDir(def, buildFlags);
        await this.start(p);
      } catch (e) {
        if (existing) {
          p.def = previous;
          p.newDef = undefined;
        } else this.pools.remove(p);
        throw e;
      }
      return poolRef(p);
    });
  }

  async storagePoolCreate(pool: StoragePoolRef, flags: number): Promise<void> {
    const buildFlags = buildFlagsOf(flags, 'storagePoolCreate');
    await this.queue.run(async () => {
      const p = this.pools.inactive(pool);
      if (buildFlags !== undefined) await buildPoolDir(p.def, buildFlags);
      await this.start(p);
    });
  }

  async storagePoolBuild(pool: StoragePoolRef, flags: number): Promise<void> {
    await this.queue.run(() => buildPoolDir(this.pools.inactive(pool).def, flags));
  }

  async storagePoolRefresh(pool: StoragePoolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'storagePoolRefresh');
    await this.queue.run(async () => {
      const p = this.pools.active(pool);
      if (p.asyncJobs > 0) throw busy(p);
      try {
        await this.rescan(p);
      } catch (e) {
        // libvirt stops a pool whose storage went away.
        await this.stopped(p);
        throw e;
      }
      await this.files.saveState(p.def);
    });
  }

  async storagePoolDestroy(pool: StoragePoolRef): Promise<void> {
    await this.queue.run(async () => {
      const p = this.pools.active(pool);
      if (p.asyncJobs > 0) throw busy(p);
      await this.stopped(p);
    });
  }

  /** The pool given by handle, refused while active or busy. */
  private stoppedPool(pool: StoragePoolRef): PoolObj {
    const p = this.pools.forRef(pool);
    if (p.active) throw opInvalid(`storage pool '${p.def.name}' is still active`);
    if (p.asyncJobs > 0) throw busy(p);
    return p;
  }

  async storagePoolDelete(pool: StoragePoolRef, flags: number): Promise<void> {
    await this.queue.run(() => deletePoolDir(this.stoppedPool(pool).def, flags));
  }

  async storagePoolUndefine(pool: StoragePoolRef): Promise<void> {
    await this.queue.run(async () => {
      const p = this.stoppedPool(pool);
      if (!p.persistent) throw internalError(`no config file for ${p.def.name}`);
      await this.files.removeConfig(p.def.name);
      this.pools.remove(p);
    });
  }

  async storagePoolGetInfo(pool: StoragePoolRef): Promise<StoragePoolInfo> {
    const p = this.pools.forRef(pool);
    return {
      state: poolState(p),
      capacity: Number(p.def.capacity),
      allocation: Number(p.def.allocation),
      available: Number(p.def.available),
    };
  }

  async storagePoolGetXMLDesc(pool: StoragePoolRef, flags: number): Promise<string> {
    checkFlags(flags, StorageXMLFlags.VIR_STORAGE_XML_INACTIVE, 'storagePoolGetXMLDesc');
    const p = this.pools.forRef(pool);
    return formatStoragePoolXml(flags & StorageXMLFlags.VIR_STORAGE_XML_INACTIVE && p.newDef ? p.newDef : p.def);
  }

  async storagePoolGetAutostart(pool: StoragePoolRef): Promise<boolean> {
    return this.pools.forRef(pool).autostart;
  }

  async storagePoolSetAutostart(pool: StoragePoolRef, autostart: boolean): Promise<void> {
    await this.queue.run(async () => {
      const p = this.pools.forRef(pool);
      if (!p.persistent) throw internalError('pool has no config file');
      await this.files.setAutostart(p.def.name, autostart);
      p.autostart = autostart;
    });
  }

  async storagePoolIsActive(pool: StoragePoolRef): Promise<boolean> {
    return this.pools.forRef(pool).active;
  }

  async storagePoolIsPersistent(pool: StoragePoolRef): Promise<boolean> {
    return this.pools.forRef(pool).persistent;
  }

  async storagePoolListAllVolumes(pool: StoragePoolRef, flags: number): Promise<StorageVolRef[]> {
    checkFlags(flags, 0, 'storagePoolListAllVolumes');
    const p = this.pools.active(pool);
    return [...p.volumes.values()].map((v) => volRef(p, v));
  }

  async storagePoolListVolumes(pool: StoragePoolRef, maxnames: number): Promise<string[]> {
    return [...this.pools.active(pool).volumes.keys()].slice(0, Math.max(0, maxnames));
  }

  async storagePoolNumOfVolumes(pool: StoragePoolRef): Promise<number> {
    return this.pools.active(pool).volumes.size;
  }
}
