/** Domain events: registration calls, event IDs, payload enums and wire payloads. */
import type { CallDef, EventDef, WireStructDef } from './dsl';

/** virDomainEventID: the event kinds accepted by virConnectDomainEventRegisterAny. */
export enum DomainEventID {
  VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,
  VIR_DOMAIN_EVENT_ID_REBOOT = 1,
  VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2,
  VIR_DOMAIN_EVENT_ID_WATCHDOG = 3,
  VIR_DOMAIN_EVENT_ID_IO_ERROR = 4,
  VIR_DOMAIN_EVENT_ID_GRAPHICS = 5,
  VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,
  VIR_DOMAIN_EVENT_ID_CONTROL_ERROR = 7,
  VIR_DOMAIN_EVENT_ID_BLOCK_JOB = 8,
  VIR_DOMAIN_EVENT_ID_DISK_CHANGE = 9,
  VIR_DOMAIN_EVENT_ID_TRAY_CHANGE = 10,
  VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11,
  VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12,
  VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,
  VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK = 14,
  VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,
  VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 = 16,
  VIR_DOMAIN_EVENT_ID_TUNABLE = 17,
  VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18,
  VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,
  VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20,
  VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21,
  VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED = 22,
  VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23,
  VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD = 24,
  VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE = 25,
  VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE = 26,
}

/** virDomainEventType: the "event" value of a lifecycle event. */
export enum DomainEventType {
  VIR_DOMAIN_EVENT_DEFINED = 0,
  VIR_DOMAIN_EVENT_UNDEFINED = 1,
  VIR_DOMAIN_EVENT_STARTED = 2,
  VIR_DOMAIN_EVENT_SUSPENDED = 3,
  VIR_DOMAIN_EVENT_RESUMED = 4,
  VIR_DOMAIN_EVENT_STOPPED = 5,
  VIR_DOMAIN_EVENT_SHUTDOWN = 6,
  VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
  VIR_DOMAIN_EVENT_CRASHED = 8,
}

/** virDomainEventDefinedDetailType: detail of a DEFINED lifecycle event. */
export enum DomainEventDefinedDetailType {
  /** new configuration */
  VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,
  /** changed configuration */
  VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,
  /** domain renamed */
  VIR_DOMAIN_EVENT_DEFINED_RENAMED = 2,
  /** configuration restored from a snapshot */
  VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3,
}

/** virDomainEventUndefinedDetailType: detail of an UNDEFINED lifecycle event. */
export enum DomainEventUndefinedDetailType {
  /** configuration deleted */
  VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
  /** domain renamed */
  VIR_DOMAIN_EVENT_UNDEFINED_RENAMED = 1,
}

/** virDomainEventStartedDetailType: detail of a STARTED lifecycle event. */
export enum DomainEventStartedDetailType {
  /** normal boot */
  VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,
  /** incoming migration */
  VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1,
  /** restored from a state file */
  VIR_DOMAIN_EVENT_STARTED_RESTORED = 2,
  /** restored from a snapshot */
  VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
  /** woken up */
  VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4,
}

/** virDomainEventSuspendedDetailType: detail of a SUSPENDED lifecycle event. */
export enum DomainEventSuspendedDetailType {
  /** paused on request */
  VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
  /** paused for offline migration */
  VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
  /** paused on a disk I/O error */
  VIR_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
  /** paused by a watchdog */
  VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
  /** restored from a paused state file */
  VIR_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
  /** restored from a paused snapshot */
  VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
  /** resume failed at the end of an operation */
  VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
  /** paused for post-copy migration */
  VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY = 7,
  /** paused after a failed post-copy migration */
  VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED = 8,
}

/** virDomainEventResumedDetailType: detail of a RESUMED lifecycle event. */
export enum DomainEventResumedDetailType {
  /** resumed on request */
  VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
  /** migration completed */
  VIR_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
  /** resumed from a snapshot */
  VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
  /** running while post-copy migration continues */
  VIR_DOMAIN_EVENT_RESUMED_POSTCOPY = 3,
  /** running after a failed post-copy migration */
  VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED = 4,
}

/** virDomainEventStoppedDetailType: detail of a STOPPED lifecycle event. */
export enum DomainEventStoppedDetailType {
  /** normal shutdown */
  VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
  /** forced power-off */
  VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
  /** guest crashed */
  VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,
  /** migrated away */
  VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
  /** saved to a state file */
  VIR_DOMAIN_EVENT_STOPPED_SAVED = 4,
  /** emulator or management failure */
  VIR_DOMAIN_EVENT_STOPPED_FAILED = 5,
  /** offline snapshot loaded */
  VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6,
}

/** virDomainEventShutdownDetailType: detail of a SHUTDOWN lifecycle event. */
export enum DomainEventShutdownDetailType {
  /** guest finished its shutdown sequence */
  VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
  /** shut down at the request of the guest */
  VIR_DOMAIN_EVENT_SHUTDOWN_GUEST = 1,
  /** shut down at the request of the host */
  VIR_DOMAIN_EVENT_SHUTDOWN_HOST = 2,
}

/** virDomainEventPMSuspendedDetailType: detail of a PMSUSPENDED lifecycle event. */
export enum DomainEventPMSuspendedDetailType {
  /** suspended to memory */
  VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY = 0,
  /** suspended to disk */
  VIR_DOMAIN_EVENT_PMSUSPENDED_DISK = 1,
}

/** virDomainEventCrashedDetailType: detail of a CRASHED lifecycle event. */
export enum DomainEventCrashedDetailType {
  /** guest panicked */
  VIR_DOMAIN_EVENT_CRASHED_PANICKED = 0,
  /** guest crash-loaded */
  VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED = 1,
}

/** virDomainEventWatchdogAction: the "action" of a WATCHDOG event. */
export enum DomainEventWatchdogAction {
  VIR_DOMAIN_EVENT_WATCHDOG_NONE = 0,
  VIR_DOMAIN_EVENT_WATCHDOG_PAUSE = 1,
  VIR_DOMAIN_EVENT_WATCHDOG_RESET = 2,
  VIR_DOMAIN_EVENT_WATCHDOG_POWEROFF = 3,
  VIR_DOMAIN_EVENT_WATCHDOG_SHUTDOWN = 4,
  VIR_DOMAIN_EVENT_WATCHDOG_DEBUG = 5,
  VIR_DOMAIN_EVENT_WATCHDOG_INJECTNMI = 6,
}

/** virDomainEventIOErrorAction: the "action" of IO_ERROR and IO_ERROR_REASON events. */
export enum DomainEventIOErrorAction {
  VIR_DOMAIN_EVENT_IO_ERROR_NONE = 0,
  VIR_DOMAIN_EVENT_IO_ERROR_PAUSE = 1,
  VIR_DOMAIN_EVENT_IO_ERROR_REPORT = 2,
}

/** virDomainEventGraphicsPhase: the "phase" of a GRAPHICS event. */
export enum DomainEventGraphicsPhase {
  VIR_DOMAIN_EVENT_GRAPHICS_CONNECT = 0,
  VIR_DOMAIN_EVENT_GRAPHICS_INITIALIZE = 1,
  VIR_DOMAIN_EVENT_GRAPHICS_DISCONNECT = 2,
}

/** virDomainEventGraphicsAddressType: the "family" of a GRAPHICS event address. */
export enum DomainEventGraphicsAddressType {
  VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV4 = 0,
  VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV6 = 1,
  VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_UNIX = 2,
}

/** virConnectDomainEventDiskChangeReason: the "reason" of a DISK_CHANGE event. */
export enum ConnectDomainEventDiskChangeReason {
  /** media emptied at start because the source was missing */
  VIR_DOMAIN_EVENT_DISK_CHANGE_MISSING_ON_START = 0,
  /** disk dropped at start because the source was missing */
  VIR_DOMAIN_EVENT_DISK_DROP_MISSING_ON_START = 1,
}

/** virDomainEventTrayChangeReason: the "reason" of a TRAY_CHANGE event. */
export enum DomainEventTrayChangeReason {
  VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN = 0,
  VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE = 1,
}

/** virConnectDomainEventAgentLifecycleState: the "state" of an AGENT_LIFECYCLE event. */
export enum ConnectDomainEventAgentLifecycleState {
  VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED = 1,
  VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED = 2,
}

/** virConnectDomainEventAgentLifecycleReason: the "reason" of an AGENT_LIFECYCLE event. */
export enum ConnectDomainEventAgentLifecycleReason {
  VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_UNKNOWN = 0,
  VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED = 1,
  VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL = 2,
}

/** virDomainMemoryFailureRecipientType: the "recipient" of a MEMORY_FAILURE event. */
export enum DomainMemoryFailureRecipientType {
  VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_HYPERVISOR = 0,
  VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_GUEST = 1,
}

/** virDomainMemoryFailureActionType: the "action" of a MEMORY_FAILURE event. */
export enum DomainMemoryFailureActionType {
  VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_IGNORE = 0,
  VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_INJECT = 1,
  VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_FATAL = 2,
  VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_RESET = 3,
}

/** virDomainMemoryFailureFlags: the "flags" of a MEMORY_FAILURE event. */
export enum DomainMemoryFailureFlags {
  /** action-required rather than action-optional */
  VIR_DOMAIN_MEMORY_FAILURE_ACTION_REQUIRED = 1 << 0,
  /** happened while a previous failure was being handled */
  VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE = 1 << 1,
}

export const connectDomainEventRegisterAny: CallDef = {
  c: 'virConnectDomainEventRegisterAny',
  object: 'Connect',
  name: 'domainEventRegisterAny',
  doc: 'Register a callback for one domain event ID, for one domain or all; returns the callback ID.',
  params: [
    { name: 'dom', type: 'Domain?', doc: 'the domain to watch, or null for all domains' },
    { name: 'eventID', type: 'int', doc: 'a DomainEventID value' },
    { name: 'cb', type: 'Callback', doc: 'the callback, whose arguments depend on the event ID' },
  ],
  returns: 'int',
  since: '0.1.0',
  acl: ['connect:search_domains'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 316,
    procName: 'REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY',
    priority: 'high',
    args: [
      ['eventID', 'int'],
      ['dom', 'Dom?'],
    ],
    ret: [['callbackID', 'int']],
  },
  python: 'domainEventRegisterAny',
};

export const connectDomainEventDeregisterAny: CallDef = {
  c: 'virConnectDomainEventDeregisterAny',
  object: 'Connect',
  name: 'domainEventDeregisterAny',
  doc: 'Remove a callback registered with domainEventRegisterAny.',
  params: [{ name: 'callbackID', type: 'int', doc: 'the ID returned at registration' }],
  returns: 'void',
  since: '0.1.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 317,
    procName: 'REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY',
    priority: 'high',
    args: [['callbackID', 'int']],
    ret: [],
  },
  python: 'domainEventDeregisterAny',
};

/** Wire payload of every domain event (callback variant, as sent since the client negotiated feature 14); legacy procedures carry the same fields without callbackID. */
export const eventPayloads: EventDef[] = [
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_LIFECYCLE',
    proc: 318,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE',
    legacyProc: 107,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['event', 'int'],
      ['detail', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_REBOOT',
    proc: 319,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT',
    legacyProc: 169,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_REBOOT',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_RTC_CHANGE',
    proc: 320,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_RTC_CHANGE',
    legacyProc: 170,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_RTC_CHANGE',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['offset', 'hyper'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_WATCHDOG',
    proc: 321,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_WATCHDOG',
    legacyProc: 171,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_WATCHDOG',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['action', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_IO_ERROR',
    proc: 322,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_IO_ERROR',
    legacyProc: 172,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_IO_ERROR',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['srcPath', 'string'],
      ['devAlias', 'string'],
      ['action', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_GRAPHICS',
    proc: 323,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_GRAPHICS',
    legacyProc: 173,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_GRAPHICS',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['phase', 'int'],
      ['local', 'GraphicsAddress'],
      ['remote', 'GraphicsAddress'],
      ['authScheme', 'string'],
      ['subject', 'GraphicsIdentity<20>'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON',
    proc: 324,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_IO_ERROR_REASON',
    legacyProc: 195,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_IO_ERROR_REASON',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['srcPath', 'string'],
      ['devAlias', 'string'],
      ['action', 'int'],
      ['reason', 'string'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_CONTROL_ERROR',
    proc: 325,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_CONTROL_ERROR',
    legacyProc: 224,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_CONTROL_ERROR',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_BLOCK_JOB',
    proc: 326,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_BLOCK_JOB',
    legacyProc: 241,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['path', 'string'],
      ['type', 'int'],
      ['status', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_DISK_CHANGE',
    proc: 327,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DISK_CHANGE',
    legacyProc: 248,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_DISK_CHANGE',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['oldSrcPath', 'string?'],
      ['newSrcPath', 'string?'],
      ['devAlias', 'string'],
      ['reason', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_TRAY_CHANGE',
    proc: 328,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_TRAY_CHANGE',
    legacyProc: 268,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_TRAY_CHANGE',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['devAlias', 'string'],
      ['reason', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_PMWAKEUP',
    proc: 329,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMWAKEUP',
    legacyProc: 269,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_PMWAKEUP',
    // libvirt's callback message adds `int reason` (always 0) before the domain; the legacy one has none.
    fields: [
      ['callbackID', 'int'],
      ['reason', 'int'],
      ['dom', 'Dom'],
    ],
    callbackOnly: ['reason'],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_PMSUSPEND',
    proc: 330,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMSUSPEND',
    legacyProc: 270,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_PMSUSPEND',
    // libvirt's callback message adds `int reason` (always 0) before the domain; the legacy one has none.
    fields: [
      ['callbackID', 'int'],
      ['reason', 'int'],
      ['dom', 'Dom'],
    ],
    callbackOnly: ['reason'],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE',
    proc: 331,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE',
    legacyProc: 276,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_BALLOON_CHANGE',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['actual', 'uhyper'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK',
    proc: 332,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_PMSUSPEND_DISK',
    legacyProc: 292,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_PMSUSPEND_DISK',
    // libvirt's callback message adds `int reason` (always 0) before the domain; the legacy one has none.
    fields: [
      ['callbackID', 'int'],
      ['reason', 'int'],
      ['dom', 'Dom'],
    ],
    callbackOnly: ['reason'],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED',
    proc: 333,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED',
    legacyProc: 311,
    legacyProcName: 'REMOTE_PROC_DOMAIN_EVENT_DEVICE_REMOVED',
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['devAlias', 'string'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2',
    proc: 339,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB_2',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['dst', 'string'],
      ['type', 'int'],
      ['status', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_TUNABLE',
    proc: 346,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_TUNABLE',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['params', 'TP<2048>'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE',
    proc: 348,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['state', 'int'],
      ['reason', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_DEVICE_ADDED',
    proc: 354,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_ADDED',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['devAlias', 'string'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION',
    proc: 359,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['iteration', 'int'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_JOB_COMPLETED',
    proc: 363,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_JOB_COMPLETED',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['params', 'TP<64>'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED',
    proc: 367,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['devAlias', 'string'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_METADATA_CHANGE',
    proc: 379,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['type', 'int'],
      ['nsuri', 'string?'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD',
    proc: 385,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_BLOCK_THRESHOLD',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['dev', 'string'],
      ['path', 'string?'],
      ['threshold', 'uhyper'],
      ['excess', 'uhyper'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE',
    proc: 423,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_MEMORY_FAILURE',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['recipient', 'int'],
      ['action', 'int'],
      ['flags', 'uint'],
    ],
  },
  {
    eventId: 'VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE',
    proc: 438,
    procName: 'REMOTE_PROC_DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE',
    legacyProc: null,
    legacyProcName: null,
    fields: [
      ['callbackID', 'int'],
      ['dom', 'Dom'],
      ['alias', 'string'],
      ['size', 'uhyper'],
    ],
  },
];

/** Records nested inside event payloads (GRAPHICS), named in `eventPayloads` field types. */
export const eventWireStructs: WireStructDef[] = [
  {
    name: 'GraphicsAddress',
    fields: [
      ['family', 'int'],
      ['node', 'string'],
      ['service', 'string'],
    ],
  },
  {
    name: 'GraphicsIdentity',
    fields: [
      ['type', 'string'],
      ['name', 'string'],
    ],
  },
];
