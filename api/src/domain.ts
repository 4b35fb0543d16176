/** Domain lifecycle and information calls. */
import type { CallDef, StructDef } from './dsl';

/** virDomainState: the state of a domain. */
export enum DomainState {
  /** no state */
  VIR_DOMAIN_NOSTATE = 0,
  /** running */
  VIR_DOMAIN_RUNNING = 1,
  /** blocked on a resource */
  VIR_DOMAIN_BLOCKED = 2,
  /** paused */
  VIR_DOMAIN_PAUSED = 3,
  /** being shut down */
  VIR_DOMAIN_SHUTDOWN = 4,
  /** shut off */
  VIR_DOMAIN_SHUTOFF = 5,
  /** crashed */
  VIR_DOMAIN_CRASHED = 6,
  /** suspended by guest power management */
  VIR_DOMAIN_PMSUSPENDED = 7,
}

/** virDomainNostateReason: reasons for VIR_DOMAIN_NOSTATE. */
export enum DomainNostateReason {
  VIR_DOMAIN_NOSTATE_UNKNOWN = 0,
}

/** virDomainRunningReason: reasons for VIR_DOMAIN_RUNNING. */
export enum DomainRunningReason {
  VIR_DOMAIN_RUNNING_UNKNOWN = 0,
  /** normal boot */
  VIR_DOMAIN_RUNNING_BOOTED = 1,
  /** migrated from another host */
  VIR_DOMAIN_RUNNING_MIGRATED = 2,
  /** restored from a state file */
  VIR_DOMAIN_RUNNING_RESTORED = 3,
  /** restored from a snapshot */
  VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
  /** resumed from paused */
  VIR_DOMAIN_RUNNING_UNPAUSED = 5,
  /** back after a cancelled migration */
  VIR_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
  /** back after a failed save */
  VIR_DOMAIN_RUNNING_SAVE_CANCELED = 7,
  /** woken up from power-management suspend */
  VIR_DOMAIN_RUNNING_WAKEUP = 8,
  /** resumed after a crash */
  VIR_DOMAIN_RUNNING_CRASHED = 9,
  /** running in post-copy migration */
  VIR_DOMAIN_RUNNING_POSTCOPY = 10,
  /** running after a failed post-copy migration */
  VIR_DOMAIN_RUNNING_POSTCOPY_FAILED = 11,
}

/** virDomainBlockedReason: reasons for VIR_DOMAIN_BLOCKED. */
export enum DomainBlockedReason {
  VIR_DOMAIN_BLOCKED_UNKNOWN = 0,
}

/** virDomainPausedReason: reasons for VIR_DOMAIN_PAUSED. */
export enum DomainPausedReason {
  VIR_DOMAIN_PAUSED_UNKNOWN = 0,
  /** paused on request */
  VIR_DOMAIN_PAUSED_USER = 1,
  /** paused for offline migration */
  VIR_DOMAIN_PAUSED_MIGRATION = 2,
  /** paused for save */
  VIR_DOMAIN_PAUSED_SAVE = 3,
  /** paused for a core dump */
  VIR_DOMAIN_PAUSED_DUMP = 4,
  /** paused on a disk I/O error */
  VIR_DOMAIN_PAUSED_IOERROR = 5,
  /** paused by a watchdog */
  VIR_DOMAIN_PAUSED_WATCHDOG = 6,
  /** paused after reverting to a snapshot */
  VIR_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
  /** paused while shutting down */
  VIR_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
  /** paused while a snapshot is taken */
  VIR_DOMAIN_PAUSED_SNAPSHOT = 9,
  /** paused after a guest crash */
  VIR_DOMAIN_PAUSED_CRASHED = 10,
  /** paused while starting */
  VIR_DOMAIN_PAUSED_STARTING_UP = 11,
  /** paused for post-copy migration */
  VIR_DOMAIN_PAUSED_POSTCOPY = 12,
  /** paused after a failed post-copy migration */
  VIR_DOMAIN_PAUSED_POSTCOPY_FAILED = 13,
}

/** virDomainShutdownReason: reasons for VIR_DOMAIN_SHUTDOWN. */
export enum DomainShutdownReason {
  VIR_DOMAIN_SHUTDOWN_UNKNOWN = 0,
  /** shutting down on request */
  VIR_DOMAIN_SHUTDOWN_USER = 1,
}

/** virDomainShutoffReason: reasons for VIR_DOMAIN_SHUTOFF. */
export enum DomainShutoffReason {
  VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
  /** normal shutdown */
  VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,
  /** forced power-off */
  VIR_DOMAIN_SHUTOFF_DESTROYED = 2,
  /** crashed */
  VIR_DOMAIN_SHUTOFF_CRASHED = 3,
  /** migrated away */
  VIR_DOMAIN_SHUTOFF_MIGRATED = 4,
  /** saved to a file */
  VIR_DOMAIN_SHUTOFF_SAVED = 5,
  /** failed to start */
  VIR_DOMAIN_SHUTOFF_FAILED = 6,
  /** reverted to a snapshot taken while shut off */
  VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
  /** killed by the daemon while reconnecting */
  VIR_DOMAIN_SHUTOFF_DAEMON = 8,
}

/** virDomainCrashedReason: reasons for VIR_DOMAIN_CRASHED. */
export enum DomainCrashedReason {
  VIR_DOMAIN_CRASHED_UNKNOWN = 0,
  /** guest panicked */
  VIR_DOMAIN_CRASHED_PANICKED = 1,
}

/** virDomainPMSuspendedReason: reasons for VIR_DOMAIN_PMSUSPENDED. */
export enum DomainPMSuspendedReason {
  VIR_DOMAIN_PMSUSPENDED_UNKNOWN = 0,
}

/** virDomainPMSuspendedDiskReason: reasons for a suspend to disk. */
export enum DomainPMSuspendedDiskReason {
  VIR_DOMAIN_PMSUSPENDED_DISK_UNKNOWN = 0,
}

/** virDomainModificationImpact: whether a change affects the live domain, its persistent config, or both. */
export enum DomainModificationImpact {
  /** live if running, else config */
  VIR_DOMAIN_AFFECT_CURRENT = 0,
  /** the running domain */
  VIR_DOMAIN_AFFECT_LIVE = 1 << 0,
  /** the persistent definition */
  VIR_DOMAIN_AFFECT_CONFIG = 1 << 1,
}

/** virDomainMemoryModFlags: which memory size virDomainSetMemoryFlags changes. */
export enum DomainMemoryModFlags {
  /** live if running, else config */
  VIR_DOMAIN_MEM_CURRENT = 0,
  /** the running domain */
  VIR_DOMAIN_MEM_LIVE = 1 << 0,
  /** the persistent definition */
  VIR_DOMAIN_MEM_CONFIG = 1 << 1,
  /** the maximum memory instead of the current size */
  VIR_DOMAIN_MEM_MAXIMUM = 1 << 2,
}

/** virDomainVcpuFlags: which vCPU count virDomainGetVcpusFlags reports. */
export enum DomainVcpuFlags {
  /** live if running, else config */
  VIR_DOMAIN_VCPU_CURRENT = 0,
  /** the running domain */
  VIR_DOMAIN_VCPU_LIVE = 1 << 0,
  /** the persistent definition */
  VIR_DOMAIN_VCPU_CONFIG = 1 << 1,
  /** the maximum instead of the current count */
  VIR_DOMAIN_VCPU_MAXIMUM = 1 << 2,
  /** as the guest agent sees it */
  VIR_DOMAIN_VCPU_GUEST = 1 << 3,
  /** hot-pluggable vCPUs only */
  VIR_DOMAIN_VCPU_HOTPLUGGABLE = 1 << 4,
}

/** virDomainCreateFlags: flags of virDomainCreateXML and virDomainCreateWithFlags. */
export enum DomainCreateFlags {
  /** default behaviour */
  VIR_DOMAIN_NONE = 0,
  /** start with vCPUs paused */
  VIR_DOMAIN_START_PAUSED = 1 << 0,
  /** destroy the domain when the connection closes */
  VIR_DOMAIN_START_AUTODESTROY = 1 << 1,
  /** avoid the file system cache */
  VIR_DOMAIN_START_BYPASS_CACHE = 1 << 2,
  /** boot, discarding any managed save image */
  VIR_DOMAIN_START_FORCE_BOOT = 1 << 3,
  /** validate the XML against the schema */
  VIR_DOMAIN_START_VALIDATE = 1 << 4,
  /** re-initialize NVRAM from its template */
  VIR_DOMAIN_START_RESET_NVRAM = 1 << 5,
}

/** virDomainDefineFlags: flags of virDomainDefineXMLFlags. */
export enum DomainDefineFlags {
  /** validate the XML against the schema */
  VIR_DOMAIN_DEFINE_VALIDATE = 1 << 0,
}

/** virDomainDestroyFlagsValues: flags of virDomainDestroyFlags. */
export enum DomainDestroyFlags {
  /** default: may lose data */
  VIR_DOMAIN_DESTROY_DEFAULT = 0,
  /** SIGTERM only, no SIGKILL */
  VIR_DOMAIN_DESTROY_GRACEFUL = 1 << 0,
  /** remove the domain logs */
  VIR_DOMAIN_DESTROY_REMOVE_LOGS = 1 << 1,
}

/** virDomainShutdownFlagValues: shutdown methods of virDomainShutdownFlags. */
export enum DomainShutdownFlags {
  /** hypervisor choice */
  VIR_DOMAIN_SHUTDOWN_DEFAULT = 0,
  /** ACPI power button */
  VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1 << 0,
  /** guest agent */
  VIR_DOMAIN_SHUTDOWN_GUEST_AGENT = 1 << 1,
  /** initctl */
  VIR_DOMAIN_SHUTDOWN_INITCTL = 1 << 2,
  /** a signal */
  VIR_DOMAIN_SHUTDOWN_SIGNAL = 1 << 3,
  /** paravirtual guest control */
  VIR_DOMAIN_SHUTDOWN_PARAVIRT = 1 << 4,
}

/** virDomainRebootFlagValues: reboot methods of virDomainReboot. */
export enum DomainRebootFlags {
  /** hypervisor choice */
  VIR_DOMAIN_REBOOT_DEFAULT = 0,
  /** ACPI power button */
  VIR_DOMAIN_REBOOT_ACPI_POWER_BTN = 1 << 0,
  /** guest agent */
  VIR_DOMAIN_REBOOT_GUEST_AGENT = 1 << 1,
  /** initctl */
  VIR_DOMAIN_REBOOT_INITCTL = 1 << 2,
  /** a signal */
  VIR_DOMAIN_REBOOT_SIGNAL = 1 << 3,
  /** paravirtual guest control */
  VIR_DOMAIN_REBOOT_PARAVIRT = 1 << 4,
}

/** virDomainUndefineFlagsValues: flags of virDomainUndefineFlags. */
export enum DomainUndefineFlags {
  /** also remove a managed save image */
  VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = 1 << 0,
  /** also remove snapshot metadata */
  VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 1 << 1,
  /** also remove the NVRAM file */
  VIR_DOMAIN_UNDEFINE_NVRAM = 1 << 2,
  /** keep the NVRAM file */
  VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = 1 << 3,
  /** also remove checkpoint metadata */
  VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = 1 << 4,
  /** also remove TPM state */
  VIR_DOMAIN_UNDEFINE_TPM = 1 << 5,
  /** keep TPM state */
  VIR_DOMAIN_UNDEFINE_KEEP_TPM = 1 << 6,
}

/** virDomainXMLFlags: flags of virDomainGetXMLDesc. */
export enum DomainXMLFlags {
  /** include security-sensitive data */
  VIR_DOMAIN_XML_SECURE = 1 << 0,
  /** the persistent definition */
  VIR_DOMAIN_XML_INACTIVE = 1 << 1,
  /** update guest CPU requirements from the host CPU */
  VIR_DOMAIN_XML_UPDATE_CPU = 1 << 2,
  /** XML suitable for migration */
  VIR_DOMAIN_XML_MIGRATABLE = 1 << 3,
}

/** virDomainJobType: kind of the current background job. */
export enum DomainJobType {
  /** no job */
  VIR_DOMAIN_JOB_NONE = 0,
  /** finite completion time */
  VIR_DOMAIN_JOB_BOUNDED = 1,
  /** no finite completion time */
  VIR_DOMAIN_JOB_UNBOUNDED = 2,
  /** finished, not yet cleaned up */
  VIR_DOMAIN_JOB_COMPLETED = 3,
  /** failed, not yet cleaned up */
  VIR_DOMAIN_JOB_FAILED = 4,
  /** aborted, not yet cleaned up */
  VIR_DOMAIN_JOB_CANCELLED = 5,
}

/** virDomainGetJobStatsFlags: flags of virDomainGetJobStats. */
export enum DomainGetJobStatsFlags {
  /** statistics of the last completed job */
  VIR_DOMAIN_JOB_STATS_COMPLETED = 1 << 0,
  /** do not discard completed statistics when read */
  VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED = 1 << 1,
}

/** virDomainAbortJobFlagsValues: flags of virDomainAbortJobFlags. */
export enum DomainAbortJobFlags {
  /** interrupt a post-copy migration */
  VIR_DOMAIN_ABORT_JOB_POSTCOPY = 1 << 0,
}

/** virDomainJobOperation: the "operation" job statistic. */
export enum DomainJobOperation {
  VIR_DOMAIN_JOB_OPERATION_UNKNOWN = 0,
  VIR_DOMAIN_JOB_OPERATION_START = 1,
  VIR_DOMAIN_JOB_OPERATION_SAVE = 2,
  VIR_DOMAIN_JOB_OPERATION_RESTORE = 3,
  VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN = 4,
  VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT = 5,
  VIR_DOMAIN_JOB_OPERATION_SNAPSHOT = 6,
  VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT = 7,
  VIR_DOMAIN_JOB_OPERATION_DUMP = 8,
  VIR_DOMAIN_JOB_OPERATION_BACKUP = 9,
  VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_DELETE = 10,
}

/** virDomainQemuMonitorCommandFlags: flags of virDomainQemuMonitorCommand. */
export enum DomainQemuMonitorCommandFlags {
  /** the command is QMP JSON */
  VIR_DOMAIN_QEMU_MONITOR_COMMAND_DEFAULT = 0,
  /** the command is human monitor text */
  VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP = 1 << 0,
}

/** virDomainInfo. */
export const DomainInfo: StructDef = {
  name: 'DomainInfo',
  c: 'virDomainInfo',
  doc: 'State, memory, vCPU count and CPU time of a domain.',
  fields: [
    { name: 'state', type: 'int', doc: 'a DomainState value' },
    { name: 'maxMem', type: 'ulong', doc: 'maximum memory in KiB' },
    { name: 'memory', type: 'ulong', doc: 'current memory in KiB' },
    { name: 'nrVirtCpu', type: 'uint', doc: 'number of virtual CPUs' },
    { name: 'cpuTime', type: 'ulong', doc: 'CPU time used, in nanoseconds' },
  ],
};

/** The result of virDomainGetState. */
export const DomainStateInfo: StructDef = {
  name: 'DomainStateInfo',
  c: '',
  doc: 'State of a domain and the reason for it (the two out-parameters of virDomainGetState; no C struct).',
  fields: [
    { name: 'state', type: 'int', doc: 'a DomainState value' },
    { name: 'reason', type: 'int', doc: 'a value of the reason enum of that state (e.g. DomainRunningReason)' },
  ],
};

/** The result of virDomainGetJobStats. */
export const JobStats: StructDef = {
  name: 'JobStats',
  c: '',
  doc: 'Type and statistics of a domain job (the out-parameters of virDomainGetJobStats; no C struct).',
  fields: [
    { name: 'type', type: 'int', doc: 'a DomainJobType value' },
    { name: 'params', type: 'TypedParams', doc: 'job statistics, e.g. time_elapsed, disk_total, success' },
  ],
};

/** virDomainBlockInfo. */
export const BlockInfo: StructDef = {
  name: 'BlockInfo',
  c: 'virDomainBlockInfo',
  doc: 'Sizes of a disk image: guest-visible, allocated on the host, and of the container.',
  fields: [
    { name: 'capacity', type: 'ulong', doc: 'logical size in bytes seen by the guest' },
    { name: 'allocation', type: 'ulong', doc: 'host storage in bytes occupied by the image' },
    { name: 'physical', type: 'ulong', doc: 'host physical size in bytes of the image container' },
  ],
};

export const domainCreate: CallDef = {
  c: 'virDomainCreate',
  object: 'Domain',
  name: 'create',
  doc: 'Start a defined, inactive domain.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 9,
    procName: 'REMOTE_PROC_DOMAIN_CREATE',
    args: [['dom', 'Dom']],
    ret: [],
  },
  python: 'create',
};

export const domainCreateWithFlags: CallDef = {
  c: 'virDomainCreateWithFlags',
  object: 'Domain',
  name: 'createWithFlags',
  doc: 'Start a defined, inactive domain, with flags.',
  params: [],
  flags: 'DomainCreateFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 196,
    procName: 'REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['dom', 'Dom']],
  },
  python: 'createWithFlags',
};

export const domainDestroy: CallDef = {
  c: 'virDomainDestroy',
  object: 'Domain',
  name: 'destroy',
  doc: 'Stop the domain at once, as pulling the power plug.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:stop'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 12,
    procName: 'REMOTE_PROC_DOMAIN_DESTROY',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [],
  },
  python: 'destroy',
};

export const domainDestroyFlags: CallDef = {
  c: 'virDomainDestroyFlags',
  object: 'Domain',
  name: 'destroyFlags',
  doc: 'Stop the domain at once, with flags (e.g. graceful: no SIGKILL).',
  params: [],
  flags: 'DomainDestroyFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:stop'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 234,
    procName: 'REMOTE_PROC_DOMAIN_DESTROY_FLAGS',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'destroyFlags',
};

export const domainShutdown: CallDef = {
  c: 'virDomainShutdown',
  object: 'Domain',
  name: 'shutdown',
  doc: 'Ask the guest to shut down; returns before it has stopped.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:init_control'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 33,
    procName: 'REMOTE_PROC_DOMAIN_SHUTDOWN',
    args: [['dom', 'Dom']],
    ret: [],
  },
  python: 'shutdown',
};

export const domainShutdownFlags: CallDef = {
  c: 'virDomainShutdownFlags',
  object: 'Domain',
  name: 'shutdownFlags',
  doc: 'Ask the guest to shut down by the methods the flags select.',
  params: [],
  flags: 'DomainShutdownFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:init_control'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 258,
    procName: 'REMOTE_PROC_DOMAIN_SHUTDOWN_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'shutdownFlags',
};

export const domainReboot: CallDef = {
  c: 'virDomainReboot',
  object: 'Domain',
  name: 'reboot',
  doc: 'Ask the guest to reboot by the methods the flags select.',
  params: [],
  flags: 'DomainRebootFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:init_control'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 27,
    procName: 'REMOTE_PROC_DOMAIN_REBOOT',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'reboot',
};

export const domainReset: CallDef = {
  c: 'virDomainReset',
  object: 'Domain',
  name: 'reset',
  doc: 'Reset the domain at once, as pressing the reset button.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:reset'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 245,
    procName: 'REMOTE_PROC_DOMAIN_RESET',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'reset',
};

export const domainSuspend: CallDef = {
  c: 'virDomainSuspend',
  object: 'Domain',
  name: 'suspend',
  doc: 'Pause all vCPUs of the domain.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:suspend'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 34,
    procName: 'REMOTE_PROC_DOMAIN_SUSPEND',
    args: [['dom', 'Dom']],
    ret: [],
  },
  python: 'suspend',
};

export const domainResume: CallDef = {
  c: 'virDomainResume',
  object: 'Domain',
  name: 'resume',
  doc: 'Resume a paused domain.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:suspend'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 28,
    procName: 'REMOTE_PROC_DOMAIN_RESUME',
    args: [['dom', 'Dom']],
    ret: [],
  },
  python: 'resume',
};

export const domainUndefine: CallDef = {
  c: 'virDomainUndefine',
  object: 'Domain',
  name: 'undefine',
  doc: 'Remove the persistent definition; a running domain becomes transient.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 35,
    procName: 'REMOTE_PROC_DOMAIN_UNDEFINE',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [],
  },
  python: 'undefine',
};

export const domainUndefineFlags: CallDef = {
  c: 'virDomainUndefineFlags',
  object: 'Domain',
  name: 'undefineFlags',
  doc: 'Remove the persistent definition and, as the flags ask, its associated data.',
  params: [],
  flags: 'DomainUndefineFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 231,
    procName: 'REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'undefineFlags',
};

export const domainGetInfo: CallDef = {
  c: 'virDomainGetInfo',
  object: 'Domain',
  name: 'getInfo',
  doc: 'State, memory, vCPU count and CPU time of the domain.',
  params: [],
  returns: 'DomainInfo',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 16,
    procName: 'REMOTE_PROC_DOMAIN_GET_INFO',
    args: [['dom', 'Dom']],
    ret: [
      ['state', 'uchar'],
      ['maxMem', 'uhyper'],
      ['memory', 'uhyper'],
      ['nrVirtCpu', 'ushort'],
      ['cpuTime', 'uhyper'],
    ],
  },
  python: 'info',
};

export const domainGetState: CallDef = {
  c: 'virDomainGetState',
  object: 'Domain',
  name: 'getState',
  doc: 'The state of the domain and the reason it is in it.',
  params: [],
  flags: 'reserved',
  returns: 'DomainStateInfo',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 212,
    procName: 'REMOTE_PROC_DOMAIN_GET_STATE',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [
      ['state', 'int'],
      ['reason', 'int'],
    ],
  },
  python: 'state',
};

export const domainGetXMLDesc: CallDef = {
  c: 'virDomainGetXMLDesc',
  object: 'Domain',
  name: 'getXMLDesc',
  doc: 'The domain XML, live or inactive as the flags ask.',
  params: [],
  flags: 'DomainXMLFlags',
  returns: 'xml',
  since: '0.1.0',
  acl: ['domain:read', 'domain:read_secure:VIR_DOMAIN_XML_SECURE'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 14,
    procName: 'REMOTE_PROC_DOMAIN_GET_XML_DESC',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const domainGetID: CallDef = {
  c: 'virDomainGetID',
  object: 'Domain',
  name: 'getID',
  doc: 'The numeric ID of a running domain, -1 when inactive.',
  params: [],
  returns: 'int',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'ID',
};

export const domainGetName: CallDef = {
  c: 'virDomainGetName',
  object: 'Domain',
  name: 'getName',
  doc: 'The domain name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'name',
};

export const domainGetUUIDString: CallDef = {
  c: 'virDomainGetUUIDString',
  object: 'Domain',
  name: 'getUUIDString',
  doc: 'The domain UUID carried by this handle, in text form.',
  params: [],
  returns: 'uuid',
  since: '0.1.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'UUIDString',
};

export const domainGetOSType: CallDef = {
  c: 'virDomainGetOSType',
  object: 'Domain',
  name: 'getOSType',
  doc: 'The guest OS type, e.g. "hvm".',
  params: [],
  returns: 'string',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 19,
    procName: 'REMOTE_PROC_DOMAIN_GET_OS_TYPE',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [['type', 'string']],
  },
  python: 'OSType',
};

export const domainIsActive: CallDef = {
  c: 'virDomainIsActive',
  object: 'Domain',
  name: 'isActive',
  doc: 'Whether the domain is running.',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 150,
    procName: 'REMOTE_PROC_DOMAIN_IS_ACTIVE',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [['active', 'int']],
  },
  python: 'isActive',
};

export const domainIsPersistent: CallDef = {
  c: 'virDomainIsPersistent',
  object: 'Domain',
  name: 'isPersistent',
  doc: 'Whether the domain has a persistent definition.',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 151,
    procName: 'REMOTE_PROC_DOMAIN_IS_PERSISTENT',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [['persistent', 'int']],
  },
  python: 'isPersistent',
};

export const domainIsUpdated: CallDef = {
  c: 'virDomainIsUpdated',
  object: 'Domain',
  name: 'isUpdated',
  doc: 'Whether the running domain differs from its persistent definition.',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 202,
    procName: 'REMOTE_PROC_DOMAIN_IS_UPDATED',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [['updated', 'int']],
  },
  python: 'isUpdated',
};

export const domainGetAutostart: CallDef = {
  c: 'virDomainGetAutostart',
  object: 'Domain',
  name: 'getAutostart',
  doc: 'Whether the domain starts when the host boots.',
  params: [],
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 15,
    procName: 'REMOTE_PROC_DOMAIN_GET_AUTOSTART',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [['autostart', 'int']],
  },
  python: 'autostart',
};

export const domainSetAutostart: CallDef = {
  c: 'virDomainSetAutostart',
  object: 'Domain',
  name: 'setAutostart',
  doc: 'Choose whether the domain starts when the host boots.',
  params: [{ name: 'autostart', type: 'bool', doc: 'true to start with the host' }],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 29,
    procName: 'REMOTE_PROC_DOMAIN_SET_AUTOSTART',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['autostart', 'int'],
    ],
    ret: [],
  },
  python: 'setAutostart',
};

export const domainGetMaxMemory: CallDef = {
  c: 'virDomainGetMaxMemory',
  object: 'Domain',
  name: 'getMaxMemory',
  doc: 'The maximum memory the domain may use, in KiB.',
  params: [],
  returns: 'ulong',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 17,
    procName: 'REMOTE_PROC_DOMAIN_GET_MAX_MEMORY',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [['memory', 'uhyper']],
  },
  python: 'maxMemory',
};

export const domainSetMemory: CallDef = {
  c: 'virDomainSetMemory',
  object: 'Domain',
  name: 'setMemory',
  doc: 'Change the current memory of the domain, in KiB.',
  params: [{ name: 'memory', type: 'ulong', doc: 'the new memory size in KiB' }],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 31,
    procName: 'REMOTE_PROC_DOMAIN_SET_MEMORY',
    args: [
      ['dom', 'Dom'],
      ['memory', 'uhyper'],
    ],
    ret: [],
  },
  python: 'setMemory',
};

export const domainGetMaxVcpus: CallDef = {
  c: 'virDomainGetMaxVcpus',
  object: 'Domain',
  name: 'getMaxVcpus',
  doc: 'The maximum number of vCPUs of the running domain.',
  params: [],
  returns: 'int',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 18,
    procName: 'REMOTE_PROC_DOMAIN_GET_MAX_VCPUS',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [['num', 'int']],
  },
  python: 'maxVcpus',
};

export const domainGetVcpusFlags: CallDef = {
  c: 'virDomainGetVcpusFlags',
  object: 'Domain',
  name: 'getVcpusFlags',
  doc: 'The current or maximum vCPU count of the live domain or its persistent definition.',
  params: [],
  flags: 'DomainVcpuFlags',
  returns: 'int',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 200,
    procName: 'REMOTE_PROC_DOMAIN_GET_VCPUS_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['num', 'int']],
  },
  python: 'vcpusFlags',
};

export const domainHasManagedSaveImage: CallDef = {
  c: 'virDomainHasManagedSaveImage',
  object: 'Domain',
  name: 'hasManagedSaveImage',
  doc: 'Whether a managed save image exists for the domain.',
  params: [],
  flags: 'reserved',
  returns: 'bool',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 183,
    procName: 'REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['result', 'int']],
  },
  python: 'hasManagedSaveImage',
};

export const domainGetJobStats: CallDef = {
  c: 'virDomainGetJobStats',
  object: 'Domain',
  name: 'getJobStats',
  doc: 'Type and typed statistics of the current (or last completed) job.',
  params: [],
  flags: 'DomainGetJobStatsFlags',
  returns: 'JobStats',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 298,
    procName: 'REMOTE_PROC_DOMAIN_GET_JOB_STATS',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [
      ['type', 'int'],
      ['params', 'TP<64>'],
    ],
  },
  python: 'jobStats',
};

export const domainAbortJob: CallDef = {
  c: 'virDomainAbortJob',
  object: 'Domain',
  name: 'abortJob',
  doc: 'Abort the current background job of the domain.',
  params: [],
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 164,
    procName: 'REMOTE_PROC_DOMAIN_ABORT_JOB',
    args: [['dom', 'Dom']],
    ret: [],
  },
  python: 'abortJob',
};

export const domainAbortJobFlags: CallDef = {
  c: 'virDomainAbortJobFlags',
  object: 'Domain',
  name: 'abortJobFlags',
  doc: 'Abort the current background job of the domain, with flags.',
  params: [],
  flags: 'DomainAbortJobFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 442,
    procName: 'REMOTE_PROC_DOMAIN_ABORT_JOB_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'abortJobFlags',
};

export const domainGetBlockInfo: CallDef = {
  c: 'virDomainGetBlockInfo',
  object: 'Domain',
  name: 'getBlockInfo',
  doc: 'Capacity, allocation and physical size of one disk of the domain.',
  params: [{ name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path', wire: 'path' }],
  flags: 'reserved',
  returns: 'BlockInfo',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 194,
    procName: 'REMOTE_PROC_DOMAIN_GET_BLOCK_INFO',
    args: [
      ['dom', 'Dom'],
      ['path', 'string'],
      ['flags', 'uint'],
    ],
    ret: [
      ['allocation', 'uhyper'],
      ['capacity', 'uhyper'],
      ['physical', 'uhyper'],
    ],
  },
  python: 'blockInfo',
};

export const domainQemuMonitorCommand: CallDef = {
  c: 'virDomainQemuMonitorCommand',
  object: 'Domain',
  name: 'qemuMonitorCommand',
  doc: 'Send a raw command to the QEMU monitor of the domain and return its reply.',
  params: [{ name: 'cmd', type: 'string', doc: 'the monitor command (QMP JSON, or HMP text with the HMP flag)' }],
  flags: 'DomainQemuMonitorCommandFlags',
  returns: 'string',
  since: '0.1.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'qemu',
    proc: 1,
    procName: 'QEMU_PROC_DOMAIN_MONITOR_COMMAND',
    args: [
      ['dom', 'Dom'],
      ['cmd', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['result', 'string']],
  },
  python: null,
};

/** virSecurityLabel: a domain's security label. */
export const SecurityLabel: StructDef = {
  name: 'SecurityLabel',
  c: 'virSecurityLabel',
  doc: 'The security label of a running domain and whether it is enforced.',
  fields: [
    { name: 'label', type: 'string', doc: 'the label, empty when the domain has none' },
    { name: 'enforcing', type: 'int', doc: '1 when the label is enforced' },
  ],
};

/** virDomainMessageType: which kinds of messages virDomainGetMessages returns. */
export enum DomainMessageType {
  VIR_DOMAIN_MESSAGE_DEPRECATION = 1 << 0,
  VIR_DOMAIN_MESSAGE_TAINTING = 1 << 1,
}

export const domainGetSecurityLabel: CallDef = {
  c: 'virDomainGetSecurityLabel',
  object: 'Domain',
  name: 'getSecurityLabel',
  doc: 'The security label of the domain.',
  params: [],
  returns: 'SecurityLabel',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 121,
    procName: 'REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL',
    priority: 'high',
    args: [['dom', 'Dom']],
    ret: [
      ['label', 'char<4097>'],
      ['enforcing', 'int'],
    ],
  },
  python: 'securityLabel',
};

export const domainGetMessages: CallDef = {
  c: 'virDomainGetMessages',
  object: 'Domain',
  name: 'getMessages',
  doc: 'Deprecation and tainting messages recorded for the domain.',
  params: [],
  flags: 'DomainMessageType',
  returns: 'string[]',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 426,
    procName: 'REMOTE_PROC_DOMAIN_GET_MESSAGES',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['msgs', 'string<2048>']],
  },
  python: 'messages',
};
