import { ConnectListAllStoragePoolsFlags as L, StoragePoolState, type StoragePoolRef, type StorageVolRef } from '@virtkit/core';
import { type StoragePoolDef, type StorageVolDef } from '@virtkit/xml';
import { checkFlags, noPool, opFailed, opInvalid } from './errors';

export interface VolObj {
  def: StorageVolDef;
  /** The file is being created; every other operation on the volume waits. */
  building: boolean;
  /** Running uploads, downloads, wipes and resizes. */
  inUse: number;
}

export interface PoolObj {
  /** The live definition (the only one while inactive). */
  def: StoragePoolDef;
  /** A persistent definition given while the pool was active, taking over when it stops. */
  newDef?: StoragePoolDef;
  active: boolean;
  /** Has a config file. */
  persistent: boolean;
  autostart: boolean;
  volumes: Map<string, VolObj>;
  /** Volume builds and transfers running on the pool: refresh, destroy, delete wait for none. */
  asyncJobs: number;
}

export const poolRef = (p: PoolObj): StoragePoolRef => ({ name: p.def.name, uuid: p.def.uuid });
export const volRef = (p: PoolObj, v: VolObj): StorageVolRef => ({ pool: p.def.name, name: v.def.name, key: v.def.key ?? '' });

/** Filter groups of virConnectListAllStoragePools (the pool-type bits start at DIR). */
const FILTERS_ALL = (L.VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT << 1) - 1;
/** Pool types in the order of their filter bits. */
const TYPE_ORDER = [
  'dir',
  'fs',
  'netfs',
  'logical',
  'disk',
  'iscsi',
  'scsi',
  'mpath',
  'rbd',
  'sheepdog',
  'gluster',
  'zfs',
  'vstorage',
  'iscsi-direct',
];
const TYPE_BIT = (type: string) => L.VIR_CONNECT_LIST_STORAGE_POOLS_DIR << TYPE_ORDER.indexOf(type);
const TYPE_BITS = FILTERS_ALL & ~(L.VIR_CONNECT_LIST_STORAGE_POOLS_DIR - 1);

export class PoolRegistry {
  private readonly pools = new Map<string, PoolObj>();

  all(): PoolObj[] {
    return [...this.pools.values()];
  }

  byName(name: string): PoolObj {
    const p = this.pools.get(name);
    if (!p) throw noPool(`no storage pool with matching name '${name}'`);
    return p;
  }

  byUUID(uuid: string): PoolObj {
    for (const p of this.pools.values()) if (p.def.uuid === uuid.toLowerCase()) return p;
    throw noPool(`no storage pool with matching uuid '${uuid}'`);
  }

  /** The object behind a handle (libvirt looks handles up by UUID and names the pool in the error). */
  forRef(ref: StoragePoolRef): PoolObj {
    for (const p of this.pools.values()) if (p.def.uuid === ref.uuid) return p;
    throw noPool(`no storage pool with matching uuid '${ref.uuid}' (${ref.name})`);
  }

  active(ref: StoragePoolRef): PoolObj {
    const p = this.forRef(ref);
    if (!p.active) throw opInvalid(`storage pool '${p.def.name}' is not active`);
    return p;
  }

  inactive(ref: StoragePoolRef): PoolObj {
    const p = this.forRef(ref);
    if (p.active) throw opInvalid(`storage pool '${p.def.name}' is already active`);
    return p;
  }

  /**
   * Where a new definition goes: the existing object of the same name and UUID, or none. Refuses
   * a name or UUID taken by another pool, a directory another pool uses, and (for `live`
   * additions) a pool that already runs.
   */
  findForDefinition(def: StoragePoolDef, live: boolean): PoolObj | undefined {
    const sameUuid = this.all().find((p) => p.def.uuid === def.uuid);
    if (sameUuid) {
      if (sameUuid.def.name !== def.name) throw opFailed(`pool '${sameUuid.def.name}' is already defined with uuid ${def.uuid}`);
      if (live && sameUuid.active) throw opInvalid(`pool is already active as '${sameUuid.def.name}'`);
    } else {
      const sameName = this.pools.get(def.name);
      if (sameName) throw opFailed(`pool '${def.name}' already exists with uuid ${sameName.def.uuid}`);
    }
    const conflict = this.all().find((p) => p !== sameUuid && p.def.type === def.type && p.def.target.path === def.target.path);
    if (conflict) throw opFailed(`Storage source conflict with pool: '${conflict.def.name}'`);
    return sameUuid;
  }

  add(def: StoragePoolDef): PoolObj {
    const p: PoolObj = { def, active: false, persistent: false, autostart: false, volumes: new Map(), asyncJobs: 0 };
    this.pools.set(def.name, p);
    return p;
  }

  remove(p: PoolObj): void {
    if (this.pools.get(p.def.name) === p) this.pools.delete(p.def.name);
  }

  /** virConnectListAllStoragePools: each flag group given narrows the list. */
  list(flags: number): PoolObj[] {
    checkFlags(flags, FILTERS_ALL, 'storageConnectListAllStoragePools');
    const group = (a: number, b: number, has: boolean) => {
      const g = flags & (a | b);
      return !g || (g & a && has) || (g & b && !has);
    };
    const types = flags & TYPE_BITS;
    return this.all().filter(
      (p) =>
        group(L.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE, L.VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE, p.active) &&
        group(L.VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT, L.VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, p.persistent) &&
        group(L.VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART, L.VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART, p.autostart) &&
        (!types || (types & TYPE_BIT(p.def.type)) !== 0),
    );
  }

  /** The active pools' volumes, for lookups by key or path. */
  *activeVolumes(): Generator<[PoolObj, VolObj]> {
    for (const p of this.pools.values()) {
      if (!p.active) continue;
      for (const v of p.volumes.values()) yield [p, v];
    }
  }
}

export const poolState = (p: PoolObj) =>
  p.active ? StoragePoolState.VIR_STORAGE_POOL_RUNNING : StoragePoolState.VIR_STORAGE_POOL_INACTIVE;
