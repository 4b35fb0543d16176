/**
 * libvirt's numbers the test driver needs: domain states and reasons, lifecycle event types and
 * details, and the flag bits of the calls it serves (values as in libvirt 9.0's public headers).
 */

export const DomainState = { NOSTATE: 0, RUNNING: 1, BLOCKED: 2, PAUSED: 3, SHUTDOWN: 4, SHUTOFF: 5, CRASHED: 6, PMSUSPENDED: 7 } as const;
export const STATE_NAMES = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'] as const;

export const RunningReason = { UNKNOWN: 0, BOOTED: 1, MIGRATED: 2, RESTORED: 3, FROM_SNAPSHOT: 4, UNPAUSED: 5 } as const;
export const PausedReason = { UNKNOWN: 0, USER: 1, FROM_SNAPSHOT: 7 } as const;
export const ShutoffReason = {
  UNKNOWN: 0, SHUTDOWN: 1, DESTROYED: 2, CRASHED: 3, MIGRATED: 4, SAVED: 5, FAILED: 6, FROM_SNAPSHOT: 7, DAEMON: 8,
} as const;

/** VIR_DOMAIN_EVENT_ID_LIFECYCLE. */
export const EVENT_ID_LIFECYCLE = 0;
/** virDomainEventType. */
export const LifecycleEvent = {
  DEFINED: 0, UNDEFINED: 1, STARTED: 2, SUSPENDED: 3, RESUMED: 4, STOPPED: 5, SHUTDOWN: 6, PMSUSPENDED: 7, CRASHED: 8,
} as const;
export const DefinedDetail = { ADDED: 0, UPDATED: 1, RENAMED: 2, FROM_SNAPSHOT: 3 } as const;
export const UndefinedDetail = { REMOVED: 0, RENAMED: 1 } as const;
export const StartedDetail = { BOOTED: 0, MIGRATED: 1, RESTORED: 2, FROM_SNAPSHOT: 3, WAKEUP: 4 } as const;
export const SuspendedDetail = { PAUSED: 0, FROM_SNAPSHOT: 5 } as const;
export const ResumedDetail = { UNPAUSED: 0, FROM_SNAPSHOT: 2 } as const;
export const StoppedDetail = { SHUTDOWN: 0, DESTROYED: 1, CRASHED: 2, MIGRATED: 3, SAVED: 4, FAILED: 5, FROM_SNAPSHOT: 6 } as const;

/** virConnectListAllDomainsFlags. */
export const ListDomains = {
  ACTIVE: 1 << 0, INACTIVE: 1 << 1, PERSISTENT: 1 << 2, TRANSIENT: 1 << 3, RUNNING: 1 << 4, PAUSED: 1 << 5,
  SHUTOFF: 1 << 6, OTHER: 1 << 7, MANAGEDSAVE: 1 << 8, NO_MANAGEDSAVE: 1 << 9, AUTOSTART: 1 << 10,
  NO_AUTOSTART: 1 << 11, HAS_SNAPSHOT: 1 << 12, NO_SNAPSHOT: 1 << 13, HAS_CHECKPOINT: 1 << 14, NO_CHECKPOINT: 1 << 15,
} as const;
export const LIST_DOMAINS_FILTERS_ALL = 0xffff;

export const DomainXmlFlags = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;
export const DOMAIN_XML_COMMON_FLAGS = 0xf;
export const DefineFlags = { VALIDATE: 1 } as const;
export const StartFlags = { PAUSED: 1, AUTODESTROY: 2, BYPASS_CACHE: 4, FORCE_BOOT: 8, VALIDATE: 16 } as const;
export const DestroyFlags = { GRACEFUL: 1 } as const;
export const RebootFlags = { ACPI_POWER_BTN: 1, GUEST_AGENT: 2, INITCTL: 4, SIGNAL: 8, PARAVIRT: 16 } as const;
export const UndefineFlags = { MANAGED_SAVE: 1, SNAPSHOTS_METADATA: 2, NVRAM: 4, KEEP_NVRAM: 8, CHECKPOINTS_METADATA: 16 } as const;
export const ModificationImpact = { CURRENT: 0, LIVE: 1, CONFIG: 2 } as const;
export const MEM_MAXIMUM = 4;
export const VCPU_MAXIMUM = 4;

/** Lifecycle actions (on_poweroff / on_reboot / on_crash). */
export const LIFECYCLE_ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

export const SnapshotCreate = {
  REDEFINE: 1, CURRENT: 2, NO_METADATA: 4, HALT: 8, DISK_ONLY: 16, REUSE_EXT: 32, QUIESCE: 64, ATOMIC: 128, LIVE: 256, VALIDATE: 512,
} as const;
export const SnapshotList = {
  ROOTS: 1, DESCENDANTS: 1, METADATA: 2, LEAVES: 4, NO_LEAVES: 8, NO_METADATA: 16, INACTIVE: 32, ACTIVE: 64,
  DISK_ONLY: 128, INTERNAL: 256, EXTERNAL: 512, TOPOLOGICAL: 1024,
} as const;
export const SNAPSHOT_FILTERS_ALL = 2 | 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512;
export const SnapshotRevert = { RUNNING: 1, PAUSED: 2, FORCE: 4 } as const;
export const SnapshotDelete = { CHILDREN: 1, METADATA_ONLY: 2, CHILDREN_ONLY: 4 } as const;
export const SNAPSHOT_XML_SECURE = 1;

export const CheckpointCreate = { REDEFINE: 1, QUIESCE: 2, REDEFINE_VALIDATE: 4 } as const;
export const CheckpointList = { ROOTS: 1, DESCENDANTS: 1, TOPOLOGICAL: 2, LEAVES: 4, NO_LEAVES: 8 } as const;
export const CheckpointXml = { SECURE: 1, NO_DOMAIN: 2, SIZE: 4 } as const;
export const CheckpointDelete = { CHILDREN: 1, METADATA_ONLY: 2, CHILDREN_ONLY: 4 } as const;

export const ListPools = {
  INACTIVE: 1 << 0, ACTIVE: 1 << 1, PERSISTENT: 1 << 2, TRANSIENT: 1 << 3, AUTOSTART: 1 << 4, NO_AUTOSTART: 1 << 5,
} as const;
/** VIR_CONNECT_LIST_STORAGE_POOLS_<TYPE> bits, by pool type name. */
export const POOL_TYPE_FLAGS: Record<string, number> = {
  dir: 1 << 6, fs: 1 << 7, netfs: 1 << 8, logical: 1 << 9, disk: 1 << 10, iscsi: 1 << 11, scsi: 1 << 12, mpath: 1 << 13,
  rbd: 1 << 14, sheepdog: 1 << 15, gluster: 1 << 16, zfs: 1 << 17, vstorage: 1 << 18, 'iscsi-direct': 1 << 19,
};
export const LIST_POOLS_FILTERS_ALL = (1 << 20) - 1;
export const PoolState = { INACTIVE: 0, BUILDING: 1, RUNNING: 2, DEGRADED: 3, INACCESSIBLE: 4 } as const;
export const VolType = { FILE: 0, BLOCK: 1, DIR: 2, NETWORK: 3, NETDIR: 4, PLOOP: 5 } as const;
export const VolResize = { ALLOCATE: 1, DELTA: 2, SHRINK: 4 } as const;
export const STORAGE_POOL_DEFINE_VALIDATE = 1;

/** The test driver's node defaults (defaultNodeInfo). */
export const DEFAULT_NODE_INFO = {
  model: 'i686', memory: 1024 * 1024 * 3, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2,
} as const;
/** Every test pool starts with 100 GiB capacity and nothing allocated. */
export const DEFAULT_POOL_CAPACITY = 100n * 1024n * 1024n * 1024n;
export const TEST_NS_URI = 'http://libvirt.org/schemas/domain/test/1.0';
export const MAX_VCPUS = 32;
