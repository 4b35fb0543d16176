/**
 * libvirt's domain state / reason and lifecycle event numbers (virDomainState,
 * virDomain*Reason, virDomainEventType and its detail enums in libvirt-domain.h).
 */

export const DomainStateNum = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4,
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;

export const RunningReason = {
  UNKNOWN: 0, BOOTED: 1, MIGRATED: 2, RESTORED: 3, FROM_SNAPSHOT: 4, UNPAUSED: 5,
  MIGRATION_CANCELED: 6, SAVE_CANCELED: 7, WAKEUP: 8, CRASHED: 9, POSTCOPY: 10, POSTCOPY_FAILED: 11,
} as const;

export const PausedReason = {
  UNKNOWN: 0, USER: 1, MIGRATION: 2, SAVE: 3, DUMP: 4, IOERROR: 5, WATCHDOG: 6, FROM_SNAPSHOT: 7,
  SHUTTING_DOWN: 8, SNAPSHOT: 9, CRASHED: 10, STARTING_UP: 11, POSTCOPY: 12, POSTCOPY_FAILED: 13, API_ERROR: 14,
} as const;

export const ShutdownReason = { UNKNOWN: 0, USER: 1 } as const;

export const ShutoffReason = {
  UNKNOWN: 0, SHUTDOWN: 1, DESTROYED: 2, CRASHED: 3, MIGRATED: 4, SAVED: 5, FAILED: 6, FROM_SNAPSHOT: 7, DAEMON: 8,
} as const;

export const DomainEventType = {
  DEFINED: 0, UNDEFINED: 1, STARTED: 2, SUSPENDED: 3, RESUMED: 4, STOPPED: 5, SHUTDOWN: 6, PMSUSPENDED: 7, CRASHED: 8,
} as const;

export const EventStartedDetail = { BOOTED: 0, MIGRATED: 1, RESTORED: 2, FROM_SNAPSHOT: 3, WAKEUP: 4 } as const;
export const EventSuspendedDetail = {
  PAUSED: 0, MIGRATED: 1, IOERROR: 2, WATCHDOG: 3, RESTORED: 4, FROM_SNAPSHOT: 5, API_ERROR: 6, POSTCOPY: 7, POSTCOPY_FAILED: 8,
} as const;
export const EventResumedDetail = { UNPAUSED: 0, MIGRATED: 1, FROM_SNAPSHOT: 2, POSTCOPY: 3, POSTCOPY_FAILED: 4 } as const;
export const EventStoppedDetail = {
  SHUTDOWN: 0, DESTROYED: 1, CRASHED: 2, MIGRATED: 3, SAVED: 4, FAILED: 5, FROM_SNAPSHOT: 6,
} as const;
export const EventShutdownDetail = { FINISHED: 0, GUEST: 1, HOST: 2 } as const;

export interface DomainStateInfo {
  state: number;
  reason: number;
}

export interface LifecycleEvent {
  event: number;
  detail: number;
}
