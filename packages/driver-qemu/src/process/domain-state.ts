/**
 * The state machine of one domain run, without I/O: what a QMP event, a request of the driver
 * or the end of the process does to the domain's state and reason, which lifecycle events it
 * raises and whether the status file must be written again (libvirt's qemuProcessHandle*
 * callbacks, reduced). The runtime feeds it and carries out what comes back; the unit tests
 * drive it with no QEMU at all.
 */
import {
  DomainEventPMSuspendedDetailType,
  DomainEventResumedDetailType,
  DomainEventShutdownDetailType,
  DomainEventStartedDetailType,
  DomainEventStoppedDetailType,
  DomainEventSuspendedDetailType,
  DomainEventType,
  DomainPausedReason,
  DomainPMSuspendedReason,
  DomainRunningReason,
  DomainShutdownReason,
  DomainShutoffReason,
  DomainState,
} from '@virtkit/core';
import { type DomainStateInfo, type LifecycleEvent } from './lifecycle';

/** What the machine remembers between inputs. */
export interface MachineState {
  state: number;
  reason: number;
  /** A SHUTDOWN event was seen: the EOF that follows is a shutdown, not a crash. */
  gotShutdown: boolean;
  /** The reason the next STOP event carries (a suspend request, an I/O error policy). */
  expectPause?: number;
  /** The reason the next RESUME event carries. */
  expectResume?: number;
  /** The driver is stopping the process with this shutoff reason. */
  stoppingReason?: number;
}

/** The outcome of one input: the next state and what the runtime must do about it. */
export interface Step {
  next: MachineState;
  /** Lifecycle events to publish, in order. */
  events: LifecycleEvent[];
  /** The recorded state changed: write the status file. */
  save: boolean;
  /** QEMU reset the machine: publish a reboot event. */
  reboot: boolean;
}

/** A QMP event as the machine sees it. */
export interface MachineEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The machine of a domain that is not running. */
export function shutoff(reason: number = DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN): MachineState {
  return { state: DomainState.VIR_DOMAIN_SHUTOFF, reason, gotShutdown: false };
}

/** The machine of a process just spawned with `-S`: paused, starting up (the start is not finished). */
export function startingUp(): MachineState {
  return { state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP, gotShutdown: false };
}

export function isStartingUp(s: DomainStateInfo): boolean {
  return s.state === DomainState.VIR_DOMAIN_PAUSED && s.reason === DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP;
}

/** The state a start ends in: running (booted), or paused by the user with VIR_DOMAIN_START_PAUSED. */
export function startTarget(paused: boolean, restored = false): DomainStateInfo {
  if (paused) return { state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER };
  const reason = restored ? DomainRunningReason.VIR_DOMAIN_RUNNING_RESTORED : DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED;
  return { state: DomainState.VIR_DOMAIN_RUNNING, reason };
}

/** The start finished (after `cont` unless paused): the target state and STARTED, plus SUSPENDED when paused. */
export function started(s: MachineState, paused: boolean, restored = false): Step {
  const detail = restored
    ? DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_RESTORED
    : DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_BOOTED;
  const events: LifecycleEvent[] = [{ event: DomainEventType.VIR_DOMAIN_EVENT_STARTED, detail }];
  if (paused)
    events.push({
      event: DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED,
      detail: DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
    });
  return step({ ...s, ...startTarget(paused, restored) }, events, false);
}

/** A QMP event of the running domain. */
export function onQmpEvent(s: MachineState, e: MachineEvent): Step {
  switch (e.event) {
    case 'STOP':
      return onStop(s);
    case 'RESUME':
      return onResume(s);
    case 'RESET':
      return { ...step(s, [], false), reboot: true };
    case 'SHUTDOWN':
      return onShutdown(s, e.data.guest === true);
    case 'SUSPEND':
      return onPMSuspend(s, false);
    case 'SUSPEND_DISK':
      return onPMSuspend(s, true);
    case 'WAKEUP':
      return onWakeup(s);
    case 'BLOCK_IO_ERROR':
      return step(e.data.action === 'stop' ? { ...s, expectPause: DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR } : s, [], false);
    default:
      return step(s, [], false);
  }
}

/** The vCPUs stopped (a STOP event, or a `stop` command whose event has not come yet). */
export function onStop(s: MachineState): Step {
  if (s.state === DomainState.VIR_DOMAIN_PAUSED || s.state === DomainState.VIR_DOMAIN_SHUTDOWN || s.gotShutdown) return step(s, [], false);
  const reason = s.expectPause ?? DomainPausedReason.VIR_DOMAIN_PAUSED_UNKNOWN;
  const detail =
    reason === DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR
      ? DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_IOERROR
      : reason === DomainPausedReason.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT
        ? DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT
        : DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;
  return step(
    { ...s, state: DomainState.VIR_DOMAIN_PAUSED, reason, expectPause: undefined },
    [{ event: DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, detail }],
    true,
  );
}

/** The vCPUs run again (a RESUME event, or a `cont` command whose event has not come yet). */
export function onResume(s: MachineState): Step {
  if (s.state === DomainState.VIR_DOMAIN_RUNNING) return step(s, [], false);
  if (isStartingUp(s)) {
    // The `cont` of a start: libvirtd reports it as "Resumed Unpaused" before "Started Booted";
    // the start itself sets the running state.
    return step(
      s,
      [{ event: DomainEventType.VIR_DOMAIN_EVENT_RESUMED, detail: DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED }],
      false,
    );
  }
  const reason = s.expectResume ?? DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED;
  const detail =
    reason === DomainRunningReason.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT
      ? DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT
      : DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED;
  return step(
    { ...s, state: DomainState.VIR_DOMAIN_RUNNING, reason, expectResume: undefined },
    [{ event: DomainEventType.VIR_DOMAIN_EVENT_RESUMED, detail }],
    true,
  );
}

/** The guest suspended itself to RAM or disk (libvirt's qemuProcessHandlePMSuspend/PMSuspendDisk): only a running domain changes. */
function onPMSuspend(s: MachineState, disk: boolean): Step {
  if (s.state !== DomainState.VIR_DOMAIN_RUNNING) return step(s, [], false);
  const detail = disk
    ? DomainEventPMSuspendedDetailType.VIR_DOMAIN_EVENT_PMSUSPENDED_DISK
    : DomainEventPMSuspendedDetailType.VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY;
  // VIR_DOMAIN_PMSUSPENDED_UNKNOWN and VIR_DOMAIN_PMSUSPENDED_DISK_UNKNOWN are both 0.
  return step(
    { ...s, state: DomainState.VIR_DOMAIN_PMSUSPENDED, reason: DomainPMSuspendedReason.VIR_DOMAIN_PMSUSPENDED_UNKNOWN },
    [{ event: DomainEventType.VIR_DOMAIN_EVENT_PMSUSPENDED, detail }],
    true,
  );
}

/** The guest woke up (qemuProcessHandlePMWakeup): a domain the guest had suspended runs again. */
function onWakeup(s: MachineState): Step {
  if (s.state !== DomainState.VIR_DOMAIN_PMSUSPENDED) return step(s, [], false);
  return step(
    { ...s, state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_WAKEUP },
    [{ event: DomainEventType.VIR_DOMAIN_EVENT_STARTED, detail: DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_WAKEUP }],
    true,
  );
}

function onShutdown(s: MachineState, guest: boolean): Step {
  if (s.stoppingReason !== undefined) {
    // QEMU's answer to the SIGTERM of a destroy: libvirtd reports it as "Shutdown Finished
    // after host request" before "Stopped Destroyed".
    const events =
      s.stoppingReason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED
        ? [{ event: DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, detail: DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST }]
        : [];
    return step(s, events, false);
  }
  if (s.state === DomainState.VIR_DOMAIN_SHUTOFF) return step(s, [], false);
  return step(
    { ...s, state: DomainState.VIR_DOMAIN_SHUTDOWN, reason: DomainShutdownReason.VIR_DOMAIN_SHUTDOWN_UNKNOWN, gotShutdown: true },
    [
      {
        event: DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN,
        detail: guest
          ? DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST
          : DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST,
      },
    ],
    true,
  );
}

/** The STOPPED detail of a stop the driver made with this shutoff reason. */
export function stoppedDetail(reason: number): number {
  return reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN
    ? DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN
    : reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT
      ? DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT
      : reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED
        ? DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FAILED
        : reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SAVED
          ? DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SAVED
          : reason === DomainShutoffReason.VIR_DOMAIN_SHUTOFF_MIGRATED
            ? DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_MIGRATED
            : DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
}

/**
 * The monitor closed without the driver stopping the process: a shutdown when QEMU said
 * SHUTDOWN first, else (libvirt's processMonitorEOFEvent) a crash, reason `crashed`, event
 * STOPPED_FAILED.
 */
export function eofReason(s: MachineState): number {
  return s.gotShutdown ? DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN : DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED;
}

/** The process is gone: shut off with `reason`, STOPPED with its detail. */
export function stopped(reason: number): Step {
  return step(shutoff(reason), [{ event: DomainEventType.VIR_DOMAIN_EVENT_STOPPED, detail: stoppedDetail(reason) }], false);
}

/** What QEMU answers to `query-status` (and `query-uuid`) when the driver re-attaches. */
export interface ReattachProbe {
  running: boolean;
  status: string;
  uuid: string;
}

/** Re-attach (adopt) with this state, or kill the process (reap) and report it shut off with this reason. */
export type ReattachDecision = { action: 'adopt'; state: MachineState } | { action: 'reap'; reason: number; why: string };

/**
 * What to do with a QEMU found alive from its status record (libvirt's qemuProcessReconnect):
 * a process of another domain, or of a start that never finished — the record still says
 * "paused, starting up", or it names the running target while QEMU was never let run
 * (`prelaunch`) — is killed, so that nothing half-started lingers or runs twice. Anything else
 * is adopted, trusting the recorded state where QEMU's own status agrees with it.
 */
export function reattach(recorded: DomainStateInfo & { uuid: string; gotShutdown?: boolean }, probe: ReattachProbe): ReattachDecision {
  const gotShutdown = recorded.gotShutdown === true;
  if (probe.uuid.toLowerCase() !== recorded.uuid.toLowerCase()) {
    return {
      action: 'reap',
      reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN,
      why: `QEMU runs domain ${probe.uuid}, not ${recorded.uuid}`,
    };
  }
  if (isStartingUp(recorded) || (probe.status === 'prelaunch' && recorded.state === DomainState.VIR_DOMAIN_RUNNING)) {
    return { action: 'reap', reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DAEMON, why: 'the domain was not fully started' };
  }
  if (probe.running) {
    const reason = recorded.state === DomainState.VIR_DOMAIN_RUNNING ? recorded.reason : DomainRunningReason.VIR_DOMAIN_RUNNING_UNKNOWN;
    return { action: 'adopt', state: { state: DomainState.VIR_DOMAIN_RUNNING, reason, gotShutdown } };
  }
  if (probe.status === 'suspended' && recorded.state === DomainState.VIR_DOMAIN_PMSUSPENDED) {
    // A guest still asleep stays pmsuspended (libvirt's qemuProcessUpdateState leaves it so).
    return { action: 'adopt', state: { state: recorded.state, reason: recorded.reason, gotShutdown } };
  }
  if (probe.status === 'shutdown') {
    return {
      action: 'adopt',
      state: { state: DomainState.VIR_DOMAIN_SHUTDOWN, reason: DomainShutdownReason.VIR_DOMAIN_SHUTDOWN_UNKNOWN, gotShutdown },
    };
  }
  const reason = recorded.state === DomainState.VIR_DOMAIN_PAUSED ? recorded.reason : pausedReasonOf(probe.status);
  return { action: 'adopt', state: { state: DomainState.VIR_DOMAIN_PAUSED, reason, gotShutdown } };
}

/** The paused reason of a QEMU run status (libvirt's qemuMonitorVMStatusToPausedReason). */
export function pausedReasonOf(status: string): number {
  switch (status) {
    case 'io-error':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR;
    case 'watchdog':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_WATCHDOG;
    case 'inmigrate':
    case 'postmigrate':
    case 'finish-migrate':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_MIGRATION;
    case 'save-vm':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_SAVE;
    case 'prelaunch':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP;
    case 'internal-error':
    case 'guest-panicked':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_CRASHED;
    case 'paused':
      return DomainPausedReason.VIR_DOMAIN_PAUSED_USER;
    default:
      return DomainPausedReason.VIR_DOMAIN_PAUSED_UNKNOWN;
  }
}

function step(next: MachineState, events: LifecycleEvent[], save: boolean): Step {
  return { next, events, save, reboot: false };
}
