/** Storage pool and volume models (libvirt's virStoragePoolDef / virStorageVolDef). */
import type { Encryption, FileFormat } from '../storage-source';

export const POOL_TYPES = [
  'dir',
  'fs',
  'netfs',
  'logical',
  'disk',
  'iscsi',
  'iscsi-direct',
  'scsi',
  'mpath',
  'rbd',
  'sheepdog',
  'gluster',
  'zfs',
  'vstorage',
] as const;
export type PoolType = (typeof POOL_TYPES)[number];

export const VOL_TYPES = ['file', 'block', 'dir', 'network', 'netdir', 'ploop'] as const;
export type VolType = (typeof VOL_TYPES)[number];

/** Ownership and mode of a path; undefined fields are "unset" (libvirt's -1). */
export interface StoragePerms {
  mode?: number;
  owner?: number;
  group?: number;
  label?: string;
}

export interface PoolSourceHost {
  name: string;
  port?: number;
}

export interface PoolSourceDevice {
  path: string;
  partSeparator?: 'yes' | 'no';
  freeExtents?: Array<{ start: bigint; end: bigint }>;
}

export interface StoragePoolSource {
  name?: string;
  /** Pool source format name (`auto`, `nfs`, `gpt`, `lvm2`, ...), for pool kinds that have one. */
  format?: string;
  hosts: PoolSourceHost[];
  devices: PoolSourceDevice[];
  dir?: string;
  initiatorIqn?: string;
  auth?: { type?: 'chap' | 'ceph'; username: string; secretType?: string; secretUuid?: string; secretUsage?: string };
  /** `<protocol ver>`: the NFS version string (`3`, `4.1`). */
  protocolVer?: string;
  vendor?: string;
  product?: string;
  /** `<adapter>` (scsi pools), kept as its attributes. */
  adapter?: Record<string, string>;
  /** A scsi_host adapter named by its parent PCI device: `<parentaddr unique_id>` and the address. */
  adapterParent?: { uniqueId: number; address: { domain: number; bus: number; slot: number; function: number } };
}

export interface StoragePoolDef {
  type: PoolType;
  name: string;
  uuid: string;
  /** Bytes; filled in by the driver (not read from definitions unless asked). */
  capacity: bigint;
  allocation: bigint;
  available: bigint;
  cow?: 'yes' | 'no';
  source: StoragePoolSource;
  target: { path?: string; perms: StoragePerms };
  refreshAllocation?: 'default' | 'capacity';
  /** `<fs:mount_opts>` options of fs/netfs pools (the storagepool/fs namespace). */
  mountOptions?: string[];
  /** `<rbd:config_opts>` name/value options of rbd pools (the storagepool/rbd namespace). */
  rbdConfigOptions?: Array<[string, string]>;
}

export interface VolTimestamps {
  /** Seconds and nanoseconds; undefined = not known. */
  atime?: [bigint, number];
  mtime?: [bigint, number];
  ctime?: [bigint, number];
  btime?: [bigint, number];
}

export interface VolTarget {
  path?: string;
  /** Format name: a file format for file-like pools, a partition type for disk pools. */
  format?: FileFormat | string;
  perms?: StoragePerms;
  timestamps?: VolTimestamps;
  encryption?: Encryption;
  compat?: string;
  clusterSize?: bigint;
  nocow?: boolean;
  /** Present (possibly empty) when `<features>` was given. */
  features?: string[];
}

export interface StorageVolDef {
  type: VolType;
  name: string;
  key?: string;
  /** Extents of the volume on the pool's devices (disk / logical pools). */
  extents: Array<{ path: string; start: bigint; end: bigint }>;
  capacity: bigint;
  allocation: bigint;
  hasAllocation: boolean;
  /** Display only; 0 = not known. */
  physical: bigint;
  target: VolTarget;
  backingStore?: VolTarget;
}

export interface PoolParseOptions {
  /**
   * Also read what libvirt only writes (capacity, allocation, available): for reading back a
   * document this library produced, e.g. a driver's saved state.
   */
  runtime?: boolean;
  /** UUID for a pool given without one (libvirt generates a random one). */
  generateUuid?: () => string;
}

export interface VolParseOptions {
  /** VIR_VOL_XML_PARSE_NO_CAPACITY. */
  noCapacity?: boolean;
  /** VIR_VOL_XML_PARSE_OPT_CAPACITY: capacity may be left out when there is a backing store. */
  optCapacity?: boolean;
  /** Also read the display-only fields (physical, timestamps, source extents). */
  runtime?: boolean;
}
