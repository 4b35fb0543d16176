/**
 * The test driver's own facts: virsh's state names, the flag masks it accepts, its node and pool
 * defaults. libvirt's enums themselves are the generated ones of `@virtkit/core`.
 */
import { ConnectListAllStoragePoolsFlags as P, DomainSnapshotListFlags as S, DomainXMLFlags as X } from '@virtkit/core';

export const STATE_NAMES = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'] as const;

/** Every filter bit of virConnectListAllDomains (VIR_CONNECT_LIST_DOMAINS_FILTERS_ALL). */
export const LIST_DOMAINS_FILTERS_ALL = 0xffff;

/** virDomainGetXMLDesc's flags the test driver accepts (VIR_DOMAIN_XML_COMMON_FLAGS). */
export const DOMAIN_XML_COMMON_FLAGS =
  X.VIR_DOMAIN_XML_SECURE | X.VIR_DOMAIN_XML_INACTIVE | X.VIR_DOMAIN_XML_UPDATE_CPU | X.VIR_DOMAIN_XML_MIGRATABLE;

/** Lifecycle actions (on_poweroff / on_reboot / on_crash). */
export const LIFECYCLE_ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** Every filter bit of virDomainListAllSnapshots (VIR_DOMAIN_SNAPSHOT_FILTERS_ALL). */
export const SNAPSHOT_FILTERS_ALL =
  S.VIR_DOMAIN_SNAPSHOT_LIST_METADATA |
  S.VIR_DOMAIN_SNAPSHOT_LIST_LEAVES |
  S.VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES |
  S.VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA |
  S.VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE |
  S.VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
  S.VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY |
  S.VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL |
  S.VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL;

/** VIR_CONNECT_LIST_STORAGE_POOLS_<TYPE> bits, by pool type name. */
export const POOL_TYPE_FLAGS: Record<string, number> = {
  dir: P.VIR_CONNECT_LIST_STORAGE_POOLS_DIR,
  fs: P.VIR_CONNECT_LIST_STORAGE_POOLS_FS,
  netfs: P.VIR_CONNECT_LIST_STORAGE_POOLS_NETFS,
  logical: P.VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL,
  disk: P.VIR_CONNECT_LIST_STORAGE_POOLS_DISK,
  iscsi: P.VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI,
  scsi: P.VIR_CONNECT_LIST_STORAGE_POOLS_SCSI,
  mpath: P.VIR_CONNECT_LIST_STORAGE_POOLS_MPATH,
  rbd: P.VIR_CONNECT_LIST_STORAGE_POOLS_RBD,
  sheepdog: P.VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG,
  gluster: P.VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER,
  zfs: P.VIR_CONNECT_LIST_STORAGE_POOLS_ZFS,
  vstorage: P.VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE,
  'iscsi-direct': P.VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT,
};
/** Every filter bit of virConnectListAllStoragePools. */
export const LIST_POOLS_FILTERS_ALL = (1 << 20) - 1;

/** The test driver's node defaults (defaultNodeInfo). */
export const DEFAULT_NODE_INFO = {
  model: 'i686',
  memory: 1024 * 1024 * 3,
  cpus: 16,
  mhz: 1400,
  nodes: 2,
  sockets: 2,
  cores: 2,
  threads: 2,
} as const;
/** Every test pool starts with 100 GiB capacity and nothing allocated. */
export const DEFAULT_POOL_CAPACITY = 100n * 1024n * 1024n * 1024n;
export const TEST_NS_URI = 'http://libvirt.org/schemas/domain/test/1.0';
export const MAX_VCPUS = 32;
