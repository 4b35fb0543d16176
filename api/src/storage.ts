/** Storage pools and volumes. */
import type { CallDef, StructDef } from './dsl';

/** virStreamFlags: flags of virConnectNewStream. */
export enum StreamFlags {
  /** the stream's calls never block */
  VIR_STREAM_NONBLOCK = 1 << 0,
}

/** virStreamRecvFlagsValues: flags of virStreamRecvFlags. */
export enum StreamRecvFlagsValues {
  /** stop at a hole and report it instead of returning zeros */
  VIR_STREAM_RECV_STOP_AT_HOLE = 1 << 0,
}

/** virStoragePoolState: the state of a storage pool. */
export enum StoragePoolState {
  /** not running */
  VIR_STORAGE_POOL_INACTIVE = 0,
  /** initializing, not available */
  VIR_STORAGE_POOL_BUILDING = 1,
  /** running normally */
  VIR_STORAGE_POOL_RUNNING = 2,
  /** running degraded */
  VIR_STORAGE_POOL_DEGRADED = 3,
  /** running but not accessible */
  VIR_STORAGE_POOL_INACCESSIBLE = 4,
}

/** virStoragePoolBuildFlags: flags of virStoragePoolBuild. */
export enum StoragePoolBuildFlags {
  /** build from scratch */
  VIR_STORAGE_POOL_BUILD_NEW = 0,
  /** repair or reinitialize */
  VIR_STORAGE_POOL_BUILD_REPAIR = 1 << 0,
  /** extend an existing pool */
  VIR_STORAGE_POOL_BUILD_RESIZE = 1 << 1,
  /** do not overwrite an existing pool */
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE = 1 << 2,
  /** overwrite data */
  VIR_STORAGE_POOL_BUILD_OVERWRITE = 1 << 3,
}

/** virStoragePoolDeleteFlags: flags of virStoragePoolDelete. */
export enum StoragePoolDeleteFlags {
  /** delete metadata only */
  VIR_STORAGE_POOL_DELETE_NORMAL = 0,
  /** clear all data to zeros */
  VIR_STORAGE_POOL_DELETE_ZEROED = 1 << 0,
}

/** virStoragePoolCreateFlags: flags of virStoragePoolCreate and virStoragePoolCreateXML. */
export enum StoragePoolCreateFlags {
  /** start without building */
  VIR_STORAGE_POOL_CREATE_NORMAL = 0,
  /** build first, without flags */
  VIR_STORAGE_POOL_CREATE_WITH_BUILD = 1 << 0,
  /** build first with BUILD_OVERWRITE */
  VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE = 1 << 1,
  /** build first with BUILD_NO_OVERWRITE */
  VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 1 << 2,
}

/** virStoragePoolDefineFlags: flags of virStoragePoolDefineXML. */
export enum StoragePoolDefineFlags {
  /** validate the XML against the schema */
  VIR_STORAGE_POOL_DEFINE_VALIDATE = 1 << 0,
}

/** virStorageXMLFlags: flags of virStoragePoolGetXMLDesc. */
export enum StorageXMLFlags {
  /** the persistent definition */
  VIR_STORAGE_XML_INACTIVE = 1 << 0,
}

/** virConnectListAllStoragePoolsFlags: filter groups of virConnectListAllStoragePools; an empty group selects all of it. */
export enum ConnectListAllStoragePoolsFlags {
  VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE = 1 << 0,
  VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE = 1 << 1,
  VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT = 1 << 2,
  VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT = 1 << 3,
  VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART = 1 << 4,
  VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART = 1 << 5,
  VIR_CONNECT_LIST_STORAGE_POOLS_DIR = 1 << 6,
  VIR_CONNECT_LIST_STORAGE_POOLS_FS = 1 << 7,
  VIR_CONNECT_LIST_STORAGE_POOLS_NETFS = 1 << 8,
  VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL = 1 << 9,
  VIR_CONNECT_LIST_STORAGE_POOLS_DISK = 1 << 10,
  VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI = 1 << 11,
  VIR_CONNECT_LIST_STORAGE_POOLS_SCSI = 1 << 12,
  VIR_CONNECT_LIST_STORAGE_POOLS_MPATH = 1 << 13,
  VIR_CONNECT_LIST_STORAGE_POOLS_RBD = 1 << 14,
  VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG = 1 << 15,
  VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER = 1 << 16,
  VIR_CONNECT_LIST_STORAGE_POOLS_ZFS = 1 << 17,
  VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE = 1 << 18,
  VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT = 1 << 19,
}

/** virStorageVolType: the kind of a storage volume. */
export enum StorageVolType {
  /** regular file */
  VIR_STORAGE_VOL_FILE = 0,
  /** block device */
  VIR_STORAGE_VOL_BLOCK = 1,
  /** directory passthrough */
  VIR_STORAGE_VOL_DIR = 2,
  /** network volume (e.g. RBD) */
  VIR_STORAGE_VOL_NETWORK = 3,
  /** network directory holding other volumes */
  VIR_STORAGE_VOL_NETDIR = 4,
  /** ploop volume */
  VIR_STORAGE_VOL_PLOOP = 5,
}

/** virStorageVolDeleteFlags: flags of virStorageVolDelete. */
export enum StorageVolDeleteFlags {
  /** delete metadata only */
  VIR_STORAGE_VOL_DELETE_NORMAL = 0,
  /** clear all data to zeros */
  VIR_STORAGE_VOL_DELETE_ZEROED = 1 << 0,
  /** also remove volume snapshots */
  VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS = 1 << 1,
}

/** virStorageVolWipeAlgorithm: patterns of virStorageVolWipePattern. */
export enum StorageVolWipeAlgorithm {
  /** one pass of zeros */
  VIR_STORAGE_VOL_WIPE_ALG_ZERO = 0,
  /** NNSA 4-pass */
  VIR_STORAGE_VOL_WIPE_ALG_NNSA = 1,
  /** DoD 4-pass */
  VIR_STORAGE_VOL_WIPE_ALG_DOD = 2,
  /** BSI 9-pass */
  VIR_STORAGE_VOL_WIPE_ALG_BSI = 3,
  /** Gutmann 35-pass */
  VIR_STORAGE_VOL_WIPE_ALG_GUTMANN = 4,
  /** Schneier 7-pass */
  VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER = 5,
  /** 7-pass random */
  VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7 = 6,
  /** 33-pass random */
  VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33 = 7,
  /** one pass of random data */
  VIR_STORAGE_VOL_WIPE_ALG_RANDOM = 8,
  /** discard all data (TRIM) */
  VIR_STORAGE_VOL_WIPE_ALG_TRIM = 9,
}

/** virStorageVolInfoFlags: flags of virStorageVolGetInfoFlags. */
export enum StorageVolInfoFlags {
  /** report the allocation */
  VIR_STORAGE_VOL_USE_ALLOCATION = 0,
  /** report the physical size as allocation */
  VIR_STORAGE_VOL_GET_PHYSICAL = 1 << 0,
}

/** virStorageVolCreateFlags: flags of virStorageVolCreateXML and virStorageVolCreateXMLFrom. */
export enum StorageVolCreateFlags {
  /** preallocate image metadata */
  VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA = 1 << 0,
  /** lightweight (reflink) copy */
  VIR_STORAGE_VOL_CREATE_REFLINK = 1 << 1,
}

/** virStorageVolDownloadFlags: flags of virStorageVolDownload. */
export enum StorageVolDownloadFlags {
  /** send holes as hole frames */
  VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM = 1 << 0,
}

/** virStorageVolUploadFlags: flags of virStorageVolUpload. */
export enum StorageVolUploadFlags {
  /** accept holes as hole frames */
  VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM = 1 << 0,
}

/** virStorageVolResizeFlags: flags of virStorageVolResize. */
export enum StorageVolResizeFlags {
  /** allocate the new size */
  VIR_STORAGE_VOL_RESIZE_ALLOCATE = 1 << 0,
  /** capacity is relative to the current one */
  VIR_STORAGE_VOL_RESIZE_DELTA = 1 << 1,
  /** allow shrinking */
  VIR_STORAGE_VOL_RESIZE_SHRINK = 1 << 2,
}

/** virStoragePoolInfo. */
export const StoragePoolInfo: StructDef = {
  name: 'StoragePoolInfo',
  c: 'virStoragePoolInfo',
  doc: 'State and sizes of a storage pool.',
  fields: [
    { name: 'state', type: 'int', doc: 'a StoragePoolState value' },
    { name: 'capacity', type: 'ulong', doc: 'logical size in bytes' },
    { name: 'allocation', type: 'ulong', doc: 'current allocation in bytes' },
    { name: 'available', type: 'ulong', doc: 'remaining free space in bytes' },
  ],
};

/** virStorageVolInfo. */
export const StorageVolInfo: StructDef = {
  name: 'StorageVolInfo',
  c: 'virStorageVolInfo',
  doc: 'Type and sizes of a storage volume.',
  fields: [
    { name: 'type', type: 'int', doc: 'a StorageVolType value' },
    { name: 'capacity', type: 'ulong', doc: 'logical size in bytes' },
    { name: 'allocation', type: 'ulong', doc: 'current allocation in bytes' },
  ],
};

export const connectListAllStoragePools: CallDef = {
  c: 'virConnectListAllStoragePools',
  object: 'Connect',
  name: 'listAllStoragePools',
  doc: 'Every storage pool matching the filter flags, as fresh handles.',
  params: [],
  flags: 'ConnectListAllStoragePoolsFlags',
  returns: 'StoragePool[]',
  since: '0.1.0',
  acl: ['connect:search_storage_pools'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 281,
    procName: 'REMOTE_PROC_CONNECT_LIST_ALL_STORAGE_POOLS',
    priority: 'high',
    args: [
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['pools', 'Pool<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllStoragePools',
};

export const storagePoolLookupByName: CallDef = {
  c: 'virStoragePoolLookupByName',
  object: 'Connect',
  name: 'storagePoolLookupByName',
  doc: 'A fresh handle to the storage pool with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the pool name' }],
  returns: 'StoragePool',
  since: '0.1.0',
  acl: ['storage_pool:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 84,
    procName: 'REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_NAME',
    priority: 'high',
    args: [['name', 'string']],
    ret: [['pool', 'Pool']],
  },
  python: 'storagePoolLookupByName',
};

export const storagePoolLookupByUUIDString: CallDef = {
  c: 'virStoragePoolLookupByUUIDString',
  object: 'Connect',
  name: 'storagePoolLookupByUUIDString',
  doc: 'A fresh handle to the storage pool with this UUID.',
  params: [{ name: 'uuidstr', type: 'uuid', doc: 'the pool UUID in text form', wire: 'uuid' }],
  returns: 'StoragePool',
  since: '0.1.0',
  acl: ['storage_pool:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 85,
    procName: 'REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_UUID',
    priority: 'high',
    args: [['uuid', 'uuid']],
    ret: [['pool', 'Pool']],
  },
  python: 'storagePoolLookupByUUIDString',
};

export const storagePoolDefineXML: CallDef = {
  c: 'virStoragePoolDefineXML',
  object: 'Connect',
  name: 'storagePoolDefineXML',
  doc: 'Define (or redefine) a persistent storage pool from XML without starting it.',
  params: [{ name: 'xml', type: 'xml', doc: 'the pool XML' }],
  flags: 'StoragePoolDefineFlags',
  returns: 'StoragePool',
  since: '0.1.0',
  acl: ['storage_pool:write', 'storage_pool:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 77,
    procName: 'REMOTE_PROC_STORAGE_POOL_DEFINE_XML',
    priority: 'high',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['pool', 'Pool']],
  },
  python: 'storagePoolDefineXML',
};

export const storagePoolCreateXML: CallDef = {
  c: 'virStoragePoolCreateXML',
  object: 'Connect',
  name: 'storagePoolCreateXML',
  doc: 'Create and start a transient storage pool from XML.',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the pool XML', wire: 'xml' }],
  flags: 'StoragePoolCreateFlags',
  returns: 'StoragePool',
  since: '0.1.0',
  acl: ['storage_pool:start', 'storage_pool:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 76,
    procName: 'REMOTE_PROC_STORAGE_POOL_CREATE_XML',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['pool', 'Pool']],
  },
  python: 'storagePoolCreateXML',
};

export const storageVolLookupByKey: CallDef = {
  c: 'virStorageVolLookupByKey',
  object: 'Connect',
  name: 'storageVolLookupByKey',
  doc: 'A fresh handle to the storage volume with this key.',
  params: [{ name: 'key', type: 'string', doc: 'the volume key' }],
  returns: 'StorageVol',
  since: '0.1.0',
  acl: ['storage_vol:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 96,
    procName: 'REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_KEY',
    priority: 'high',
    args: [['key', 'string']],
    ret: [['vol', 'Vol']],
  },
  python: 'storageVolLookupByKey',
};

export const storageVolLookupByPath: CallDef = {
  c: 'virStorageVolLookupByPath',
  object: 'Connect',
  name: 'storageVolLookupByPath',
  doc: 'A fresh handle to the storage volume at this path.',
  params: [{ name: 'path', type: 'string', doc: 'the volume path' }],
  returns: 'StorageVol',
  since: '0.1.0',
  acl: ['storage_vol:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 97,
    procName: 'REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_PATH',
    priority: 'high',
    args: [['path', 'string']],
    ret: [['vol', 'Vol']],
  },
  python: 'storageVolLookupByPath',
};

export const storagePoolBuild: CallDef = {
  c: 'virStoragePoolBuild',
  object: 'StoragePool',
  name: 'build',
  doc: 'Build the underlying storage of the pool (e.g. create its directory or format its device).',
  params: [],
  flags: 'StoragePoolBuildFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_pool:format'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 79,
    procName: 'REMOTE_PROC_STORAGE_POOL_BUILD',
    args: [
      ['pool', 'Pool'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'build',
};

export const storagePoolCreate: CallDef = {
  c: 'virStoragePoolCreate',
  object: 'StoragePool',
  name: 'create',
  doc: 'Start an inactive storage pool.',
  params: [],
  flags: 'StoragePoolCreateFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_pool:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 78,
    procName: 'REMOTE_PROC_STORAGE_POOL_CREATE',
    args: [
      ['pool', 'Pool'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'create',
};

export const storagePoolDestroy: CallDef = {
  c: 'virStoragePoolDestroy',
  object: 'StoragePool',
  name: 'destroy',
  doc: 'Stop an active storage pool; its data stays.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_pool:stop'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 80,
    procName: 'REMOTE_PROC_STORAGE_POOL_DESTROY',
    priority: 'high',
    args: [['pool', 'Pool']],
    ret: [],
  },
  python: 'destroy',
};

export const storagePoolDelete: CallDef = {
  c: 'virStoragePoolDelete',
  object: 'StoragePool',
  name: 'delete',
  doc: 'Delete the underlying storage of an inactive pool.',
  params: [],
  flags: 'StoragePoolDeleteFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_pool:format'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 81,
    procName: 'REMOTE_PROC_STORAGE_POOL_DELETE',
    args: [
      ['pool', 'Pool'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'delete',
};

export const storagePoolUndefine: CallDef = {
  c: 'virStoragePoolUndefine',
  object: 'StoragePool',
  name: 'undefine',
  doc: 'Remove the persistent definition of an inactive pool.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_pool:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 82,
    procName: 'REMOTE_PROC_STORAGE_POOL_UNDEFINE',
    priority: 'high',
    args: [['pool', 'Pool']],
    ret: [],
  },
  python: 'undefine',
};

export const storagePoolRefresh: CallDef = {
  c: 'virStoragePoolRefresh',
  object: 'StoragePool',
  name: 'refresh',
  doc: 'Rescan the pool for volumes and sizes.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_pool:refresh'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 83,
    procName: 'REMOTE_PROC_STORAGE_POOL_REFRESH',
    args: [
      ['pool', 'Pool'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'refresh',
};

export const storagePoolGetInfo: CallDef = {
  c: 'virStoragePoolGetInfo',
  object: 'StoragePool',
  name: 'getInfo',
  doc: 'State, capacity, allocation and free space of the pool.',
  params: [],
  returns: 'StoragePoolInfo',
  since: '0.1.0',
  acl: ['storage_pool:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 87,
    procName: 'REMOTE_PROC_STORAGE_POOL_GET_INFO',
    priority: 'high',
    args: [['pool', 'Pool']],
    ret: [
      ['state', 'uchar'],
      ['capacity', 'uhyper'],
      ['allocation', 'uhyper'],
      ['available', 'uhyper'],
    ],
  },
  python: 'info',
};

export const storagePoolGetXMLDesc: CallDef = {
  c: 'virStoragePoolGetXMLDesc',
  object: 'StoragePool',
  name: 'getXMLDesc',
  doc: 'The pool XML, live or inactive as the flags ask.',
  params: [],
  flags: 'StorageXMLFlags',
  returns: 'xml',
  since: '0.1.0',
  acl: ['storage_pool:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 88,
    procName: 'REMOTE_PROC_STORAGE_POOL_GET_XML_DESC',
    priority: 'high',
    args: [
      ['pool', 'Pool'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const storagePoolGetAutostart: CallDef = {
  c: 'virStoragePoolGetAutostart',
  object: 'StoragePool',
  name: 'getAutostart',
  doc: 'Whether the pool starts when the host boots.',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: ['storage_pool:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 89,
    procName: 'REMOTE_PROC_STORAGE_POOL_GET_AUTOSTART',
    priority: 'high',
    args: [['pool', 'Pool']],
    ret: [['autostart', 'int']],
  },
  python: 'autostart',
};

export const storagePoolSetAutostart: CallDef = {
  c: 'virStoragePoolSetAutostart',
  object: 'StoragePool',
  name: 'setAutostart',
  doc: 'Choose whether the pool starts when the host boots.',
  params: [{ name: 'autostart', type: 'bool', doc: 'true to start with the host' }],
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_pool:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 90,
    procName: 'REMOTE_PROC_STORAGE_POOL_SET_AUTOSTART',
    priority: 'high',
    args: [
      ['pool', 'Pool'],
      ['autostart', 'int'],
    ],
    ret: [],
  },
  python: 'setAutostart',
};

export const storagePoolIsActive: CallDef = {
  c: 'virStoragePoolIsActive',
  object: 'StoragePool',
  name: 'isActive',
  doc: 'Whether the pool is active.',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: ['storage_pool:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 154,
    procName: 'REMOTE_PROC_STORAGE_POOL_IS_ACTIVE',
    priority: 'high',
    args: [['pool', 'Pool']],
    ret: [['active', 'int']],
  },
  python: 'isActive',
};

export const storagePoolIsPersistent: CallDef = {
  c: 'virStoragePoolIsPersistent',
  object: 'StoragePool',
  name: 'isPersistent',
  doc: 'Whether the pool has a persistent definition.',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: ['storage_pool:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 155,
    procName: 'REMOTE_PROC_STORAGE_POOL_IS_PERSISTENT',
    priority: 'high',
    args: [['pool', 'Pool']],
    ret: [['persistent', 'int']],
  },
  python: 'isPersistent',
};

export const storagePoolNumOfVolumes: CallDef = {
  c: 'virStoragePoolNumOfVolumes',
  object: 'StoragePool',
  name: 'numOfVolumes',
  doc: 'The number of volumes in the pool.',
  params: [],
  returns: 'int',
  since: '0.1.0',
  acl: ['storage_pool:search_storage_vols'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 91,
    procName: 'REMOTE_PROC_STORAGE_POOL_NUM_OF_VOLUMES',
    priority: 'high',
    args: [['pool', 'Pool']],
    ret: [['num', 'int']],
  },
  python: 'numOfVolumes',
};

export const storagePoolListVolumes: CallDef = {
  c: 'virStoragePoolListVolumes',
  object: 'StoragePool',
  name: 'listVolumes',
  doc: 'Names of the volumes in the pool, at most maxnames of them.',
  params: [{ name: 'maxnames', type: 'int', doc: 'the largest number of names to return' }],
  returns: 'string[]',
  since: '0.1.0',
  acl: ['storage_pool:search_storage_vols'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 92,
    procName: 'REMOTE_PROC_STORAGE_POOL_LIST_VOLUMES',
    priority: 'high',
    args: [
      ['pool', 'Pool'],
      ['maxnames', 'int'],
    ],
    ret: [['names', 'string<16384>']],
  },
  python: 'listVolumes',
};

export const storagePoolListAllVolumes: CallDef = {
  c: 'virStoragePoolListAllVolumes',
  object: 'StoragePool',
  name: 'listAllVolumes',
  doc: 'Every volume of the pool, as fresh handles.',
  params: [],
  flags: 'reserved',
  returns: 'StorageVol[]',
  since: '0.1.0',
  acl: ['storage_pool:search_storage_vols'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 282,
    procName: 'REMOTE_PROC_STORAGE_POOL_LIST_ALL_VOLUMES',
    priority: 'high',
    args: [
      ['pool', 'Pool'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['vols', 'Vol<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllVolumes',
};

export const storagePoolGetName: CallDef = {
  c: 'virStoragePoolGetName',
  object: 'StoragePool',
  name: 'getName',
  doc: 'The pool name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'name',
};

export const storagePoolGetUUIDString: CallDef = {
  c: 'virStoragePoolGetUUIDString',
  object: 'StoragePool',
  name: 'getUUIDString',
  doc: 'The pool UUID carried by this handle, in text form.',
  params: [],
  returns: 'uuid',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'UUIDString',
};

export const storageVolLookupByName: CallDef = {
  c: 'virStorageVolLookupByName',
  object: 'StoragePool',
  name: 'storageVolLookupByName',
  doc: 'A fresh handle to the volume of this pool with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the volume name' }],
  returns: 'StorageVol',
  since: '0.1.0',
  acl: ['storage_vol:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 95,
    procName: 'REMOTE_PROC_STORAGE_VOL_LOOKUP_BY_NAME',
    priority: 'high',
    args: [
      ['pool', 'Pool'],
      ['name', 'string'],
    ],
    ret: [['vol', 'Vol']],
  },
  python: 'storageVolLookupByName',
};

export const storageVolCreateXML: CallDef = {
  c: 'virStorageVolCreateXML',
  object: 'StoragePool',
  name: 'createXML',
  doc: 'Create a volume in this pool from volume XML.',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the volume XML', wire: 'xml' }],
  flags: 'StorageVolCreateFlags',
  returns: 'StorageVol',
  since: '0.1.0',
  acl: ['storage_vol:create'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 93,
    procName: 'REMOTE_PROC_STORAGE_VOL_CREATE_XML',
    args: [
      ['pool', 'Pool'],
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['vol', 'Vol']],
  },
  python: 'createXML',
};

export const storageVolCreateXMLFrom: CallDef = {
  c: 'virStorageVolCreateXMLFrom',
  object: 'StoragePool',
  name: 'createXMLFrom',
  doc: 'Create a volume in this pool from volume XML, filled with the contents of another volume.',
  params: [
    { name: 'xmlDesc', type: 'xml', doc: 'the volume XML', wire: 'xml' },
    { name: 'clonevol', type: 'StorageVol', doc: 'the volume to copy from' },
  ],
  flags: 'StorageVolCreateFlags',
  returns: 'StorageVol',
  since: '0.1.0',
  acl: ['storage_vol:create'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 125,
    procName: 'REMOTE_PROC_STORAGE_VOL_CREATE_XML_FROM',
    args: [
      ['pool', 'Pool'],
      ['xml', 'string'],
      ['clonevol', 'Vol'],
      ['flags', 'uint'],
    ],
    ret: [['vol', 'Vol']],
  },
  python: 'createXMLFrom',
};

export const storagePoolLookupByVolume: CallDef = {
  c: 'virStoragePoolLookupByVolume',
  object: 'StorageVol',
  name: 'storagePoolLookupByVolume',
  doc: 'A fresh handle to the pool holding this volume.',
  params: [],
  returns: 'StoragePool',
  since: '0.1.0',
  acl: ['storage_pool:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 86,
    procName: 'REMOTE_PROC_STORAGE_POOL_LOOKUP_BY_VOLUME',
    priority: 'high',
    args: [['vol', 'Vol']],
    ret: [['pool', 'Pool']],
  },
  python: 'storagePoolLookupByVolume',
};

export const storageVolDelete: CallDef = {
  c: 'virStorageVolDelete',
  object: 'StorageVol',
  name: 'delete',
  doc: 'Delete the volume and its storage.',
  params: [],
  flags: 'StorageVolDeleteFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_vol:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 94,
    procName: 'REMOTE_PROC_STORAGE_VOL_DELETE',
    args: [
      ['vol', 'Vol'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'delete',
};

export const storageVolWipe: CallDef = {
  c: 'virStorageVolWipe',
  object: 'StorageVol',
  name: 'wipe',
  doc: 'Overwrite the volume data with zeros.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_vol:format'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 165,
    procName: 'REMOTE_PROC_STORAGE_VOL_WIPE',
    args: [
      ['vol', 'Vol'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'wipe',
};

export const storageVolGetInfo: CallDef = {
  c: 'virStorageVolGetInfo',
  object: 'StorageVol',
  name: 'getInfo',
  doc: 'Type, capacity and allocation of the volume.',
  params: [],
  returns: 'StorageVolInfo',
  since: '0.1.0',
  acl: ['storage_vol:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 98,
    procName: 'REMOTE_PROC_STORAGE_VOL_GET_INFO',
    priority: 'high',
    args: [['vol', 'Vol']],
    ret: [
      ['type', 'char'],
      ['capacity', 'uhyper'],
      ['allocation', 'uhyper'],
    ],
  },
  python: 'info',
};

export const storageVolGetXMLDesc: CallDef = {
  c: 'virStorageVolGetXMLDesc',
  object: 'StorageVol',
  name: 'getXMLDesc',
  doc: 'The volume XML.',
  params: [],
  flags: 'reserved',
  returns: 'xml',
  since: '0.1.0',
  acl: ['storage_vol:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 99,
    procName: 'REMOTE_PROC_STORAGE_VOL_GET_XML_DESC',
    priority: 'high',
    args: [
      ['vol', 'Vol'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const storageVolGetPath: CallDef = {
  c: 'virStorageVolGetPath',
  object: 'StorageVol',
  name: 'getPath',
  doc: 'The host path of the volume.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: ['storage_vol:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 100,
    procName: 'REMOTE_PROC_STORAGE_VOL_GET_PATH',
    priority: 'high',
    args: [['vol', 'Vol']],
    ret: [['name', 'string']],
  },
  python: 'path',
};

export const storageVolResize: CallDef = {
  c: 'virStorageVolResize',
  object: 'StorageVol',
  name: 'resize',
  doc: 'Change the capacity of the volume, in bytes.',
  params: [{ name: 'capacity', type: 'ulong', doc: 'new capacity in bytes (a delta with the DELTA flag)' }],
  flags: 'StorageVolResizeFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_vol:resize'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 260,
    procName: 'REMOTE_PROC_STORAGE_VOL_RESIZE',
    args: [
      ['vol', 'Vol'],
      ['capacity', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'resize',
};

export const storageVolUpload: CallDef = {
  c: 'virStorageVolUpload',
  object: 'StorageVol',
  name: 'upload',
  doc: 'Write data from a stream into the volume, starting at offset.',
  params: [
    { name: 'stream', type: 'Stream', doc: 'the stream the caller writes the data into' },
    { name: 'offset', type: 'ulong', doc: 'byte offset to start writing at' },
    { name: 'length', type: 'ulong', doc: 'number of bytes to write, 0 for up to the end' },
  ],
  flags: 'StorageVolUploadFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_vol:data_write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 208,
    procName: 'REMOTE_PROC_STORAGE_VOL_UPLOAD',
    args: [
      ['vol', 'Vol'],
      ['offset', 'uhyper'],
      ['length', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
    stream: 'upload',
  },
  python: 'upload',
};

export const storageVolDownload: CallDef = {
  c: 'virStorageVolDownload',
  object: 'StorageVol',
  name: 'download',
  doc: 'Read data of the volume, starting at offset, into a stream.',
  params: [
    { name: 'stream', type: 'Stream', doc: 'the stream the caller reads the data from' },
    { name: 'offset', type: 'ulong', doc: 'byte offset to start reading at' },
    { name: 'length', type: 'ulong', doc: 'number of bytes to read, 0 for up to the end' },
  ],
  flags: 'StorageVolDownloadFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['storage_vol:data_read'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 209,
    procName: 'REMOTE_PROC_STORAGE_VOL_DOWNLOAD',
    args: [
      ['vol', 'Vol'],
      ['offset', 'uhyper'],
      ['length', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
    stream: 'download',
  },
  python: 'download',
};

export const storageVolGetName: CallDef = {
  c: 'virStorageVolGetName',
  object: 'StorageVol',
  name: 'getName',
  doc: 'The volume name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'name',
};

export const storageVolGetKey: CallDef = {
  c: 'virStorageVolGetKey',
  object: 'StorageVol',
  name: 'getKey',
  doc: 'The volume key carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'key',
};

/** virStoragePoolEventID: the event kinds accepted by virConnectStoragePoolEventRegisterAny. */
export enum StoragePoolEventID {
  /** virConnectStoragePoolEventLifecycleCallback */
  VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE = 0,
  /** virConnectStoragePoolEventGenericCallback: the pool's volumes were refreshed */
  VIR_STORAGE_POOL_EVENT_ID_REFRESH = 1,
}

/** virStoragePoolEventLifecycleType: the `event` of a storage pool lifecycle event. */
export enum StoragePoolEventLifecycleType {
  VIR_STORAGE_POOL_EVENT_DEFINED = 0,
  VIR_STORAGE_POOL_EVENT_UNDEFINED = 1,
  VIR_STORAGE_POOL_EVENT_STARTED = 2,
  VIR_STORAGE_POOL_EVENT_STOPPED = 3,
  /** the pool's storage was built (virStoragePoolBuild) */
  VIR_STORAGE_POOL_EVENT_CREATED = 4,
  /** the pool's storage was deleted (virStoragePoolDelete) */
  VIR_STORAGE_POOL_EVENT_DELETED = 5,
}

export const connectStoragePoolEventRegisterAny: CallDef = {
  c: 'virConnectStoragePoolEventRegisterAny',
  object: 'Connect',
  name: 'storagePoolEventRegisterAny',
  doc: 'Register a callback for one storage pool event ID, for one pool or all; returns the callback ID.',
  params: [
    { name: 'pool', type: 'StoragePool?', doc: 'the pool to watch, or null for all pools' },
    { name: 'eventID', type: 'int', doc: 'a StoragePoolEventID value' },
    { name: 'cb', type: 'Callback', doc: 'the callback, called with the connection, the pool and the event' },
  ],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_storage_pools'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 368,
    procName: 'REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY',
    args: [
      ['eventID', 'int'],
      ['pool', 'Pool?'],
    ],
    ret: [['callbackID', 'int']],
  },
  python: 'storagePoolEventRegisterAny',
};

export const connectStoragePoolEventDeregisterAny: CallDef = {
  c: 'virConnectStoragePoolEventDeregisterAny',
  object: 'Connect',
  name: 'storagePoolEventDeregisterAny',
  doc: 'Remove a callback registered with storagePoolEventRegisterAny.',
  params: [{ name: 'callbackID', type: 'int', doc: 'the ID returned at registration' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 369,
    procName: 'REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY',
    args: [['callbackID', 'int']],
    ret: [],
  },
  python: 'storagePoolEventDeregisterAny',
};
