/** Storage pools and volumes of the test driver, volume contents kept in memory. */
import {
  ConnectListAllStoragePoolsFlags,
  ErrorDomain,
  ErrorNumber,
  StoragePoolDefineFlags,
  StoragePoolState,
  StorageVolType,
  type StoragePoolRef,
  type StorageVolRef,
  StoragePoolEventLifecycleType as Ev,
} from '@virtkit/core';
import {
  formatStoragePoolXml,
  formatStorageVolXml,
  parsePoolElement,
  parseStoragePoolXml,
  parseStorageVolXml,
  parseVolumeElement,
  type StoragePoolDef,
  type StorageVolDef,
  type XmlElement,
} from '@virtkit/xml';
import type { TestState } from './state';
import { checkFlags, err, internal, opFailed, opInvalid } from './errors';
import { DEFAULT_POOL_CAPACITY, LIST_POOLS_FILTERS_ALL, POOL_TYPE_FLAGS } from './constants';

const FROM_STORAGE = ErrorDomain.VIR_FROM_STORAGE;

export interface VolObj {
  def: StorageVolDef;
  /** The volume's bytes (grown on demand up to its capacity). */
  data: Buffer;
}

export interface PoolObj {
  def: StoragePoolDef;
  active: boolean;
  autostart: boolean;
  /** libvirt's configFile: persistent pools have one. */
  persistent: boolean;
  readonly volumes: Map<string, VolObj>;
}

export interface StoragePoolInfo {
  state: number;
  capacity: number;
  allocation: number;
  available: number;
}

export interface StorageVolInfo {
  type: number;
  capacity: number;
  allocation: number;
}

function setDefaults(def: StoragePoolDef): void {
  def.capacity = DEFAULT_POOL_CAPACITY;
  def.allocation = 0n;
  def.available = DEFAULT_POOL_CAPACITY;
}

function poolRef(p: PoolObj): StoragePoolRef {
  return { name: p.def.name, uuid: p.def.uuid };
}

function volRef(p: PoolObj, v: VolObj): StorageVolRef {
  return { pool: p.def.name, name: v.def.name, key: v.def.key ?? '' };
}

export function poolByName(state: TestState, name: string): PoolObj {
  const p = state.pools.get(name);
  if (!p) throw err(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching name '${name}'`);
  return p;
}

function poolByUUID(state: TestState, uuid: string): PoolObj {
  for (const p of state.pools.values()) if (p.def.uuid === uuid.toLowerCase()) return p;
  throw err(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching uuid '${uuid}'`);
}

function activePool(state: TestState, name: string): PoolObj {
  const p = poolByName(state, name);
  if (!p.active) throw opInvalid(`storage pool '${name}' is not active`);
  return p;
}

function inactivePool(state: TestState, name: string): PoolObj {
  const p = poolByName(state, name);
  if (p.active) throw opInvalid(`storage pool '${name}' is active`);
  return p;
}

/** virStoragePoolObjListAdd's duplicate checks; returns the existing object for a redefinition. */
function checkDuplicate(state: TestState, def: StoragePoolDef, checkActive: boolean): PoolObj | undefined {
  for (const p of state.pools.values()) {
    if (p.def.uuid === def.uuid) {
      if (p.def.name !== def.name) throw opFailed(`pool '${p.def.name}' is already defined with uuid ${def.uuid}`, FROM_STORAGE);
      if (checkActive && p.active) throw opInvalid(`pool is already active as '${p.def.name}'`, FROM_STORAGE);
      return p;
    }
  }
  const byName = state.pools.get(def.name);
  if (byName) throw opFailed(`pool '${def.name}' already exists with uuid ${byName.def.uuid}`, FROM_STORAGE);
  for (const p of state.pools.values()) {
    if (
      p.def.type === def.type &&
      p.def.target.path &&
      p.def.target.path === def.target.path &&
      ['dir', 'fs', 'netfs'].includes(def.type)
    ) {
      throw opFailed(`Storage source conflict with pool: '${p.def.name}'`, FROM_STORAGE);
    }
  }
  return undefined;
}

function addPool(state: TestState, def: StoragePoolDef, checkActive: boolean): PoolObj {
  const existing = checkDuplicate(state, def, checkActive);
  if (existing) {
    existing.def = { ...def, capacity: existing.def.capacity, allocation: existing.def.allocation, available: existing.def.available };
    return existing;
  }
  const p: PoolObj = { def, active: false, autostart: false, persistent: false, volumes: new Map() };
  state.pools.set(def.name, p);
  return p;
}

/** A `<pool>` of a node file with its `<volume>` children (testParseStorage / testOpenVolumesForPool). */
export function loadPool(state: TestState, el: XmlElement, volumes: XmlElement[]): void {
  const def = parsePoolElement(el);
  const p = addPool(state, def, false);
  setDefaults(def);
  p.persistent = true;
  p.active = true;
  for (const vel of volumes) {
    const v = parseVolumeElement(vel, def.type);
    if (!v.target.path) v.target.path = `${def.target.path}/${v.name}`;
    if (!v.key) v.key = v.target.path;
    p.volumes.set(v.name, { def: v, data: Buffer.alloc(0) });
    def.allocation += v.allocation;
    def.available = def.capacity - def.allocation;
  }
}

export function listAllPools(state: TestState, flags: number): StoragePoolRef[] {
  checkFlags(flags, LIST_POOLS_FILTERS_ALL, 'testConnectListAllStoragePools');
  const L = ConnectListAllStoragePoolsFlags;
  const group = (a: number, b: number, has: boolean) => {
    const g = flags & (a | b);
    return !g || (g & a && has) || (g & b && !has);
  };
  const types = flags & ~((1 << 6) - 1);
  return [...state.pools.values()]
    .filter(
      (p) =>
        group(L.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE, L.VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE, p.active) &&
        group(L.VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT, L.VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, p.persistent) &&
        group(L.VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART, L.VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART, p.autostart) &&
        (!types || (types & (POOL_TYPE_FLAGS[p.def.type] ?? 0)) !== 0),
    )
    .map(poolRef);
}

export function poolNames(state: TestState, active: boolean): string[] {
  return [...state.pools.values()].filter((p) => p.active === active).map((p) => p.def.name);
}

export const lookupPoolByName = (state: TestState, name: string) => poolRef(poolByName(state, name));
export const lookupPoolByUUID = (state: TestState, uuid: string) => poolRef(poolByUUID(state, uuid));
export const lookupPoolByVolume = (state: TestState, vol: StorageVolRef) => poolRef(poolByName(state, vol.pool));

export function createPoolXML(state: TestState, xml: string, flags: number): StoragePoolRef {
  checkFlags(flags, 0, 'testStoragePoolCreateXML');
  const def = parseStoragePoolXml(xml);
  const p = addPool(state, def, true);
  setDefaults(p.def);
  p.persistent = false;
  p.active = true;
  state.emitPoolLifecycle(poolRef(p), Ev.VIR_STORAGE_POOL_EVENT_STARTED);
  return poolRef(p);
}

export function definePoolXML(state: TestState, xml: string, flags: number): StoragePoolRef {
  checkFlags(flags, StoragePoolDefineFlags.VIR_STORAGE_POOL_DEFINE_VALIDATE, 'testStoragePoolDefineXML');
  const def = parseStoragePoolXml(xml);
  setDefaults(def);
  const p = addPool(state, def, false);
  setDefaults(p.def);
  p.persistent = true;
  state.emitPoolLifecycle(poolRef(p), Ev.VIR_STORAGE_POOL_EVENT_DEFINED);
  return poolRef(p);
}

export function undefinePool(state: TestState, pool: StoragePoolRef): void {
  inactivePool(state, pool.name);
  state.emitPoolLifecycle(pool, Ev.VIR_STORAGE_POOL_EVENT_UNDEFINED);
  state.pools.delete(pool.name);
}

export function buildPool(state: TestState, pool: StoragePoolRef, flags: number): void {
  checkFlags(flags, 0, 'testStoragePoolBuild');
  inactivePool(state, pool.name);
  state.emitPoolLifecycle(pool, Ev.VIR_STORAGE_POOL_EVENT_CREATED);
}

export function createPool(state: TestState, pool: StoragePoolRef, flags: number): void {
  checkFlags(flags, 0, 'testStoragePoolCreate');
  inactivePool(state, pool.name).active = true;
  state.emitPoolLifecycle(pool, Ev.VIR_STORAGE_POOL_EVENT_STARTED);
}

export function destroyPool(state: TestState, pool: StoragePoolRef): void {
  const p = activePool(state, pool.name);
  p.active = false;
  state.emitPoolLifecycle(poolRef(p), Ev.VIR_STORAGE_POOL_EVENT_STOPPED);
  if (!p.persistent) state.pools.delete(pool.name);
}

export function deletePool(state: TestState, pool: StoragePoolRef, flags: number): void {
  checkFlags(flags, 0, 'testStoragePoolDelete');
  inactivePool(state, pool.name);
  state.emitPoolLifecycle(pool, Ev.VIR_STORAGE_POOL_EVENT_DELETED);
}

export function refreshPool(state: TestState, pool: StoragePoolRef, flags: number): void {
  checkFlags(flags, 0, 'testStoragePoolRefresh');
  activePool(state, pool.name);
  state.emitPoolRefresh(pool);
}

export function poolInfo(state: TestState, pool: StoragePoolRef): StoragePoolInfo {
  const p = poolByName(state, pool.name);
  return {
    state: p.active ? StoragePoolState.VIR_STORAGE_POOL_RUNNING : StoragePoolState.VIR_STORAGE_POOL_INACTIVE,
    capacity: Number(p.def.capacity),
    allocation: Number(p.def.allocation),
    available: Number(p.def.available),
  };
}

export function poolXML(state: TestState, pool: StoragePoolRef, flags: number): string {
  checkFlags(flags, 0, 'testStoragePoolGetXMLDesc');
  return formatStoragePoolXml(poolByName(state, pool.name).def);
}

export function poolGetAutostart(state: TestState, pool: StoragePoolRef): boolean {
  const p = poolByName(state, pool.name);
  return p.persistent && p.autostart;
}

export function poolSetAutostart(state: TestState, pool: StoragePoolRef, autostart: boolean): void {
  const p = poolByName(state, pool.name);
  if (!p.persistent) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, 'pool has no config file');
  p.autostart = !!autostart;
}

export const poolIsActive = (state: TestState, pool: StoragePoolRef) => poolByUUID(state, pool.uuid).active;
export const poolIsPersistent = (state: TestState, pool: StoragePoolRef) => poolByUUID(state, pool.uuid).persistent;
export const numOfVolumes = (state: TestState, pool: StoragePoolRef) => activePool(state, pool.name).volumes.size;
export const listVolumes = (state: TestState, pool: StoragePoolRef) => [...activePool(state, pool.name).volumes.keys()];

export function listAllVolumes(state: TestState, pool: StoragePoolRef, flags: number): StorageVolRef[] {
  checkFlags(flags, 0, 'testStoragePoolListAllVolumes');
  const p = poolByUUID(state, pool.uuid);
  if (!p.active) throw opInvalid('storage pool is not active');
  return [...p.volumes.values()].map((v) => volRef(p, v));
}

/** The volume behind a handle, in an active pool. */
export function volObj(state: TestState, vol: StorageVolRef): { pool: PoolObj; vol: VolObj } {
  const p = activePool(state, vol.pool);
  const v = p.volumes.get(vol.name);
  if (!v) throw err(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching name '${vol.name}'`);
  return { pool: p, vol: v };
}

export function volLookupByName(state: TestState, pool: StoragePoolRef, name: string): StorageVolRef {
  return volRef(activePool(state, pool.name), volObj(state, { pool: pool.name, name, key: '' }).vol);
}

function searchVol(state: TestState, match: (v: StorageVolDef) => boolean): StorageVolRef | undefined {
  for (const p of state.pools.values()) {
    if (!p.active) continue;
    for (const v of p.volumes.values()) if (match(v.def)) return volRef(p, v);
  }
  return undefined;
}

export function volLookupByKey(state: TestState, key: string): StorageVolRef {
  const r = searchVol(state, (v) => v.key === key);
  if (!r) throw err(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching key '${key}'`);
  return r;
}

export function volLookupByPath(state: TestState, path: string): StorageVolRef {
  const r = searchVol(state, (v) => v.target.path === path);
  if (!r) throw err(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching path '${path}'`);
  return r;
}

function addVolume(p: PoolObj, v: StorageVolDef, data: Buffer): VolObj {
  if (p.volumes.has(v.name)) throw opFailed('storage vol already exists');
  if (p.def.allocation + v.allocation > p.def.capacity) throw internal(`Not enough free space in pool for volume '${v.name}'`);
  v.target.path = `${p.def.target.path}/${v.name}`;
  v.key = v.target.path;
  const obj = { def: v, data };
  p.volumes.set(v.name, obj);
  p.def.allocation += v.allocation;
  p.def.available = p.def.capacity - p.def.allocation;
  return obj;
}

export function volCreateXML(state: TestState, pool: StoragePoolRef, xml: string, flags: number): StorageVolRef {
  checkFlags(flags, 0, 'testStorageVolCreateXML');
  const p = activePool(state, pool.name);
  const v = parseStorageVolXml(xml, p.def.type);
  return volRef(p, addVolume(p, v, Buffer.alloc(0)));
}

export function volCreateXMLFrom(state: TestState, pool: StoragePoolRef, xml: string, clone: StorageVolRef, flags: number): StorageVolRef {
  checkFlags(flags, 0, 'testStorageVolCreateXMLFrom');
  const p = activePool(state, pool.name);
  const v = parseStorageVolXml(xml, p.def.type);
  if (p.volumes.has(v.name)) throw opFailed('storage vol already exists');
  const orig = p.volumes.get(clone.name);
  if (!orig) throw err(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching name '${clone.name}'`);
  const data = Buffer.from(orig.data.subarray(0, Math.min(orig.data.length, Number(v.capacity))));
  return volRef(p, addVolume(p, v, data));
}

export function volDelete(state: TestState, vol: StorageVolRef, flags: number): void {
  checkFlags(flags, 0, 'testStorageVolDelete');
  const { pool, vol: v } = volObj(state, vol);
  pool.def.allocation -= v.def.allocation;
  pool.def.available = pool.def.capacity - pool.def.allocation;
  pool.volumes.delete(v.def.name);
}

/** testStorageVolumeTypeForPool. */
function volTypeForPool(type: string): number {
  if (['dir', 'fs', 'netfs', 'vstorage'].includes(type)) return StorageVolType.VIR_STORAGE_VOL_FILE;
  if (['sheepdog', 'iscsi-direct', 'gluster', 'rbd'].includes(type)) return StorageVolType.VIR_STORAGE_VOL_NETWORK;
  return StorageVolType.VIR_STORAGE_VOL_BLOCK;
}

export function volInfo(state: TestState, vol: StorageVolRef): StorageVolInfo {
  const { pool, vol: v } = volObj(state, vol);
  return { type: volTypeForPool(pool.def.type), capacity: Number(v.def.capacity), allocation: Number(v.def.allocation) };
}

export function volXML(state: TestState, vol: StorageVolRef, flags: number): string {
  checkFlags(flags, 0, 'testStorageVolGetXMLDesc');
  const { pool, vol: v } = volObj(state, vol);
  return formatStorageVolXml(v.def, pool.def.type);
}

export const volPath = (state: TestState, vol: StorageVolRef) => volObj(state, vol).vol.def.target.path ?? '';
