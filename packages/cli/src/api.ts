/**
 * The CLI's view of the virtkit API. Every call goes through here, so the commands do not depend
 * on the exact shape of the generated classes: a call is found by its TypeScript name (a few
 * candidate spellings), results are normalised (tuples or records, numbers or bigints), and a
 * call the connection lacks fails as libvirt does, with VIR_ERR_NO_SUPPORT naming the C function.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

type Raw = Record<string, unknown>;

/** C calls that change state: refused on read-only connections when reached through the SPI bridge. */
const WRITE_CALLS = new Set([
  'virDomainDefineXML', 'virDomainCreateXML', 'virDomainCreate', 'virDomainDestroy', 'virDomainShutdown',
  'virDomainSuspend', 'virDomainResume', 'virDomainReboot', 'virDomainReset', 'virDomainSetAutostart',
  'virDomainUndefine', 'virDomainUndefineFlags', 'virDomainSnapshotCreateXML', 'virDomainRevertToSnapshot',
  'virDomainSnapshotDelete', 'virDomainCheckpointCreateXML', 'virDomainCheckpointDelete', 'virStorageVolCreateXML',
]);

/** SPI method names that are not the C name without its `vir` prefix. */
const SPI_NAMES: Record<string, string> = {
  virDomainLookupByUUIDString: 'domainLookupByUUID',
  virStoragePoolLookupByUUIDString: 'storagePoolLookupByUUID',
};

/** A handle made by the SPI bridge: the ref and the public connection it belongs to. */
interface BridgeHandle { _ref: unknown; _conn: Raw }

function isRef(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Raw).name === 'string'
    && ('uuid' in (v as Raw) || 'domain' in (v as Raw) || 'key' in (v as Raw));
}

/**
 * The bridge for calls the generated classes do not have yet: call the driver's SPI method
 * (libvirt's C name without `vir`) with the handle's ref, making libvirt's read-only check.
 * Refs in the result come back as bridge handles.
 */
async function viaSpi(obj: Raw, cName: string, args: unknown[]): Promise<unknown> {
  const isConn = '_driver' in obj;
  const conn = (isConn ? obj : (obj._conn as Raw | undefined)) ?? null;
  const drv = conn?._driver as Raw | undefined;
  const spi = SPI_NAMES[cName] ?? cName.charAt(3).toLowerCase() + cName.slice(4);
  const f = drv?.[spi];
  if (!conn || typeof f !== 'function') throw VirError.noSupport(cName);
  if (WRITE_CALLS.has(cName) && typeof conn.isReadOnly === 'function' && (conn.isReadOnly as () => boolean).call(conn)) {
    throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_DENIED, ErrorDomain.VIR_FROM_NONE, `read only access prevents ${cName}`);
  }
  const refArgs = args.map((a) => (a && typeof a === 'object' && '_ref' in (a as Raw) ? (a as Raw)._ref : a));
  const r = await (f as (...a: unknown[]) => unknown).apply(drv, isConn ? refArgs : [obj._ref, ...refArgs]);
  const wrap = (v: unknown): unknown => (isRef(v) ? ({ _ref: v, _conn: conn } satisfies BridgeHandle) : v);
  return Array.isArray(r) && r.every(isRef) && r.length > 0 ? r.map(wrap) : wrap(r);
}

/** Call the first of `names` that `obj` has, else the driver SPI through the bridge. */
export async function invoke(obj: unknown, names: string[], cName: string, ...args: unknown[]): Promise<any> {
  const o = obj as Raw;
  for (const n of names) {
    const f = o[n];
    if (typeof f === 'function') return await (f as (...a: unknown[]) => unknown).apply(o, args);
  }
  return viaSpi(o, cName, args);
}

/** A synchronous accessor (handle name, UUID, id), falling back to the handle's ref. */
function accessor(obj: unknown, names: string[], refField: string): any {
  const o = obj as Raw;
  for (const n of names) {
    const f = o[n];
    if (typeof f === 'function') return (f as () => unknown).call(o);
  }
  const ref = o._ref as Raw | undefined;
  return ref?.[refField];
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
const bool = (v: unknown): boolean => (typeof v === 'number' ? v !== 0 : Boolean(v));

/** Two-field results arrive as a tuple or as a record; this reads either. */
function pair(v: unknown, a: string, b: string): [unknown, unknown] {
  if (Array.isArray(v)) return [v[0], v[1]];
  const r = (v ?? {}) as Raw;
  return [r[a], r[b]];
}

export interface DomainInfo { state: number; maxMem: number; memory: number; nrVirtCpu: number; cpuTime: number }
export interface PoolInfo { state: number; capacity: number; allocation: number; available: number }
export interface VolInfo { type: number; capacity: number; allocation: number }
export interface NodeInfo { model: string; memory: number; cpus: number; mhz: number; nodes: number; sockets: number; cores: number; threads: number }

/** A connection. */
export class VConnect {
  constructor(readonly raw: unknown) {}
  getURI(): Promise<string> { return invoke(this.raw, ['getURI'], 'virConnectGetURI'); }
  getType(): Promise<string> { return invoke(this.raw, ['getType'], 'virConnectGetType'); }
  async getVersion(): Promise<number> { return num(await invoke(this.raw, ['getVersion'], 'virConnectGetVersion')); }
  async getLibVersion(): Promise<number> { return num(await invoke(this.raw, ['getLibVersion'], 'virConnectGetLibVersion')); }
  getHostname(): Promise<string> { return invoke(this.raw, ['getHostname'], 'virConnectGetHostname'); }
  getCapabilities(): Promise<string> { return invoke(this.raw, ['getCapabilities'], 'virConnectGetCapabilities'); }
  async nodeInfo(): Promise<NodeInfo> {
    const r = (await invoke(this.raw, ['getInfo', 'nodeGetInfo'], 'virNodeGetInfo')) as Raw;
    return { model: String(r.model), memory: num(r.memory), cpus: num(r.cpus), mhz: num(r.mhz), nodes: num(r.nodes),
      sockets: num(r.sockets), cores: num(r.cores), threads: num(r.threads) };
  }
  async securityModel(): Promise<{ model: string; doi: string }> {
    const [model, doi] = pair(await invoke(this.raw, ['getSecurityModel', 'nodeGetSecurityModel'], 'virNodeGetSecurityModel'), 'model', 'doi');
    return { model: String(model ?? ''), doi: String(doi ?? '') };
  }
  async listAllDomains(flags: number): Promise<VDomain[]> {
    return ((await invoke(this.raw, ['listAllDomains'], 'virConnectListAllDomains', flags)) as unknown[]).map((d) => new VDomain(d));
  }
  async lookupByID(id: number): Promise<VDomain> {
    return new VDomain(await invoke(this.raw, ['lookupByID', 'lookupById', 'domainLookupByID'], 'virDomainLookupByID', id));
  }
  async lookupByUUIDString(uuid: string): Promise<VDomain> {
    return new VDomain(await invoke(this.raw, ['lookupByUUIDString', 'domainLookupByUUIDString'], 'virDomainLookupByUUIDString', uuid));
  }
  async lookupByName(name: string): Promise<VDomain> {
    return new VDomain(await invoke(this.raw, ['lookupByName', 'domainLookupByName'], 'virDomainLookupByName', name));
  }
  async defineXML(xml: string): Promise<VDomain> {
    return new VDomain(await invoke(this.raw, ['defineXML', 'domainDefineXML'], 'virDomainDefineXML', xml));
  }
  async createXML(xml: string, flags: number): Promise<VDomain> {
    return new VDomain(await invoke(this.raw, ['createXML', 'domainCreateXML'], 'virDomainCreateXML', xml, flags));
  }
  async listAllStoragePools(flags: number): Promise<VPool[]> {
    return ((await invoke(this.raw, ['listAllStoragePools'], 'virConnectListAllStoragePools', flags)) as unknown[]).map((p) => new VPool(p));
  }
  async poolLookupByName(name: string): Promise<VPool> {
    return new VPool(await invoke(this.raw, ['storagePoolLookupByName', 'lookupStoragePoolByName'], 'virStoragePoolLookupByName', name));
  }
  async poolLookupByUUIDString(uuid: string): Promise<VPool> {
    return new VPool(await invoke(this.raw, ['storagePoolLookupByUUIDString', 'lookupStoragePoolByUUIDString'], 'virStoragePoolLookupByUUIDString', uuid));
  }
  async volLookupByKey(key: string): Promise<VVol> {
    return new VVol(await invoke(this.raw, ['storageVolLookupByKey', 'lookupStorageVolByKey'], 'virStorageVolLookupByKey', key));
  }
  async volLookupByPath(path: string): Promise<VVol> {
    return new VVol(await invoke(this.raw, ['storageVolLookupByPath', 'lookupStorageVolByPath'], 'virStorageVolLookupByPath', path));
  }
  /** Register for domain events; returns the callback id. */
  eventRegister(dom: VDomain | null, eventId: number, cb: (conn: unknown, dom: unknown, ev: Record<string, unknown>) => void): Promise<number> {
    return invoke(this.raw, ['domainEventRegisterAny'], 'virConnectDomainEventRegisterAny', dom?.raw ?? null, eventId, cb);
  }
  eventDeregister(id: number): Promise<number> {
    return invoke(this.raw, ['domainEventDeregisterAny'], 'virConnectDomainEventDeregisterAny', id);
  }
  close(): Promise<unknown> { return invoke(this.raw, ['close'], 'virConnectClose'); }
}

/** A domain handle. */
export class VDomain {
  constructor(readonly raw: unknown) {}
  name(): string { return String(accessor(this.raw, ['getName'], 'name')); }
  uuid(): string { return String(accessor(this.raw, ['getUUIDString'], 'uuid')); }
  /** The runtime id, -1 when inactive. */
  id(): number {
    const v = num(accessor(this.raw, ['getID', 'getId'], 'id'));
    return v === 0xffffffff ? -1 : v;
  }
  async info(): Promise<DomainInfo> {
    const r = (await invoke(this.raw, ['getInfo'], 'virDomainGetInfo')) as Raw;
    return { state: num(r.state), maxMem: num(r.maxMem), memory: num(r.memory), nrVirtCpu: num(r.nrVirtCpu), cpuTime: num(r.cpuTime) };
  }
  async state(): Promise<{ state: number; reason: number }> {
    const [s, r] = pair(await invoke(this.raw, ['getState'], 'virDomainGetState', 0), 'state', 'reason');
    return { state: num(s), reason: num(r) };
  }
  getOSType(): Promise<string> { return invoke(this.raw, ['getOSType'], 'virDomainGetOSType'); }
  async isPersistent(): Promise<boolean> { return bool(await invoke(this.raw, ['isPersistent'], 'virDomainIsPersistent')); }
  async getAutostart(): Promise<boolean> { return bool(await invoke(this.raw, ['getAutostart'], 'virDomainGetAutostart')); }
  async hasManagedSaveImage(): Promise<boolean> {
    return bool(await invoke(this.raw, ['hasManagedSaveImage'], 'virDomainHasManagedSaveImage', 0));
  }
  async securityLabel(): Promise<{ label: string; enforcing: boolean }> {
    const [label, enf] = pair(await invoke(this.raw, ['getSecurityLabel'], 'virDomainGetSecurityLabel'), 'label', 'enforcing');
    return { label: String(label ?? ''), enforcing: bool(enf) };
  }
  getXMLDesc(flags: number): Promise<string> { return invoke(this.raw, ['getXMLDesc'], 'virDomainGetXMLDesc', flags); }
  start(): Promise<void> { return invoke(this.raw, ['create', 'createWithFlags'], 'virDomainCreate'); }
  shutdown(): Promise<void> { return invoke(this.raw, ['shutdown'], 'virDomainShutdown'); }
  destroy(): Promise<void> { return invoke(this.raw, ['destroy'], 'virDomainDestroy'); }
  suspend(): Promise<void> { return invoke(this.raw, ['suspend'], 'virDomainSuspend'); }
  resume(): Promise<void> { return invoke(this.raw, ['resume'], 'virDomainResume'); }
  reboot(flags: number): Promise<void> { return invoke(this.raw, ['reboot'], 'virDomainReboot', flags); }
  reset(flags: number): Promise<void> { return invoke(this.raw, ['reset'], 'virDomainReset', flags); }
  setAutostart(on: boolean): Promise<void> { return invoke(this.raw, ['setAutostart'], 'virDomainSetAutostart', on); }
  undefine(flags: number): Promise<void> {
    return flags === 0 && typeof (this.raw as Raw).undefineFlags !== 'function'
      ? invoke(this.raw, ['undefine'], 'virDomainUndefine')
      : invoke(this.raw, ['undefineFlags'], 'virDomainUndefineFlags', flags);
  }
  async snapshotCreateXML(xml: string, flags: number): Promise<VSnapshot> {
    return new VSnapshot(await invoke(this.raw, ['snapshotCreateXML', 'createSnapshotXML'], 'virDomainSnapshotCreateXML', xml, flags));
  }
  async listAllSnapshots(flags: number): Promise<VSnapshot[]> {
    return ((await invoke(this.raw, ['listAllSnapshots'], 'virDomainListAllSnapshots', flags)) as unknown[]).map((s) => new VSnapshot(s));
  }
  async snapshotLookupByName(name: string): Promise<VSnapshot> {
    return new VSnapshot(await invoke(this.raw, ['snapshotLookupByName', 'lookupSnapshotByName'], 'virDomainSnapshotLookupByName', name, 0));
  }
  async snapshotCurrent(): Promise<VSnapshot> {
    return new VSnapshot(await invoke(this.raw, ['snapshotCurrent', 'currentSnapshot'], 'virDomainSnapshotCurrent', 0));
  }
  async hasCurrentSnapshot(): Promise<boolean> {
    return bool(await invoke(this.raw, ['hasCurrentSnapshot'], 'virDomainHasCurrentSnapshot', 0));
  }
  async checkpointCreateXML(xml: string, flags: number): Promise<VCheckpoint> {
    return new VCheckpoint(await invoke(this.raw, ['checkpointCreateXML', 'createCheckpointXML'], 'virDomainCheckpointCreateXML', xml, flags));
  }
  async listAllCheckpoints(flags: number): Promise<VCheckpoint[]> {
    return ((await invoke(this.raw, ['listAllCheckpoints'], 'virDomainListAllCheckpoints', flags)) as unknown[]).map((s) => new VCheckpoint(s));
  }
  async checkpointLookupByName(name: string): Promise<VCheckpoint> {
    return new VCheckpoint(await invoke(this.raw, ['checkpointLookupByName', 'lookupCheckpointByName'], 'virDomainCheckpointLookupByName', name, 0));
  }
}

/** A snapshot or checkpoint handle: the calls both share. */
abstract class VMoment {
  protected abstract readonly kind: 'Snapshot' | 'Checkpoint';
  constructor(readonly raw: unknown) {}
  name(): string { return String(accessor(this.raw, ['getName'], 'name')); }
  getXMLDesc(flags: number): Promise<string> { return invoke(this.raw, ['getXMLDesc'], `virDomain${this.kind}GetXMLDesc`, flags); }
  delete(flags: number): Promise<void> { return invoke(this.raw, ['delete'], `virDomain${this.kind}Delete`, flags); }
}

/** A snapshot handle. */
export class VSnapshot extends VMoment {
  protected readonly kind = 'Snapshot' as const;
  async parent(): Promise<VSnapshot> { return new VSnapshot(await invoke(this.raw, ['getParent'], 'virDomainSnapshotGetParent', 0)); }
  async listAllChildren(flags: number): Promise<VSnapshot[]> {
    return ((await invoke(this.raw, ['listAllChildren'], 'virDomainSnapshotListAllChildren', flags)) as unknown[]).map((s) => new VSnapshot(s));
  }
  async isCurrent(): Promise<boolean> { return bool(await invoke(this.raw, ['isCurrent'], 'virDomainSnapshotIsCurrent', 0)); }
  async hasMetadata(): Promise<boolean> { return bool(await invoke(this.raw, ['hasMetadata'], 'virDomainSnapshotHasMetadata', 0)); }
  revert(flags: number): Promise<void> {
    return invoke(this.raw, ['revertToSnapshot', 'revert'], 'virDomainRevertToSnapshot', flags);
  }
}

/** A checkpoint handle. */
export class VCheckpoint extends VMoment {
  protected readonly kind = 'Checkpoint' as const;
  async parent(): Promise<VCheckpoint> { return new VCheckpoint(await invoke(this.raw, ['getParent'], 'virDomainCheckpointGetParent', 0)); }
  async listAllChildren(flags: number): Promise<VCheckpoint[]> {
    return ((await invoke(this.raw, ['listAllChildren'], 'virDomainCheckpointListAllChildren', flags)) as unknown[]).map((s) => new VCheckpoint(s));
  }
}

/** A storage pool handle. */
export class VPool {
  constructor(readonly raw: unknown) {}
  name(): string { return String(accessor(this.raw, ['getName'], 'name')); }
  uuid(): string { return String(accessor(this.raw, ['getUUIDString'], 'uuid')); }
  async info(): Promise<PoolInfo> {
    const r = (await invoke(this.raw, ['getInfo'], 'virStoragePoolGetInfo')) as Raw | unknown[];
    if (Array.isArray(r)) return { state: num(r[0]), capacity: num(r[1]), allocation: num(r[2]), available: num(r[3]) };
    return { state: num(r.state), capacity: num(r.capacity), allocation: num(r.allocation), available: num(r.available) };
  }
  async isPersistent(): Promise<boolean> { return bool(await invoke(this.raw, ['isPersistent'], 'virStoragePoolIsPersistent')); }
  async getAutostart(): Promise<boolean> { return bool(await invoke(this.raw, ['getAutostart'], 'virStoragePoolGetAutostart')); }
  async listAllVolumes(): Promise<VVol[]> {
    return ((await invoke(this.raw, ['listAllVolumes'], 'virStoragePoolListAllVolumes', 0)) as unknown[]).map((v) => new VVol(v));
  }
  async volLookupByName(name: string): Promise<VVol> {
    return new VVol(await invoke(this.raw, ['storageVolLookupByName', 'lookupVolByName', 'volLookupByName'], 'virStorageVolLookupByName', name));
  }
  async volCreateXML(xml: string, flags: number): Promise<VVol> {
    return new VVol(await invoke(this.raw, ['storageVolCreateXML', 'createXML', 'volCreateXML'], 'virStorageVolCreateXML', xml, flags));
  }
}

/** A storage volume handle. */
export class VVol {
  constructor(readonly raw: unknown) {}
  name(): string { return String(accessor(this.raw, ['getName'], 'name')); }
  key(): string { return String(accessor(this.raw, ['getKey'], 'key')); }
  getPath(): Promise<string> { return invoke(this.raw, ['getPath'], 'virStorageVolGetPath'); }
  async info(): Promise<VolInfo> {
    const r = (await invoke(this.raw, ['getInfo'], 'virStorageVolGetInfo')) as Raw | unknown[];
    if (Array.isArray(r)) return { type: num(r[0]), capacity: num(r[1]), allocation: num(r[2]) };
    return { type: num(r.type), capacity: num(r.capacity), allocation: num(r.allocation) };
  }
}
