/**
 * The state machine of one domain run, without I/O: what a QMP event, a request of the driver
 * or the end of the process does to the domain's state and reason, which lifecycle events it
 * raises and whether the status file must be written again (libvirt's qemuProcessHandle*
 * callbacks, reduced). The runtime feeds it and carries out what comes back; the unit tests
 * drive it with no QEMU at all.
 */
import {
  DomainEventType,
  DomainStateNum,
  EventResumedDetail,
  EventShutdownDetail,
  EventStartedDetail,
  EventStoppedDetail,
  EventSuspendedDetail,
  PausedReason,
  RunningReason,
  ShutdownReason,
  ShutoffReason,
  type DomainStateInfo,
  type LifecycleEvent,
} from './lifecycle';

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
export function shutoff(reason: number = ShutoffReason.UNKNOWN): MachineState {
  return { state: DomainStateNum.SHUTOFF, reason, gotShutdown: false };
}

/** The machine of a process just spawned with `-S`: paused, starting up (the start is not finished). */
export function startingUp(): MachineState {
  return { state: DomainStateNum.PAUSED, reason: PausedReason.STARTING_UP, gotShutdown: false };
}

export function isStartingUp(s: DomainStateInfo): boolean {
  return s.state === DomainStateNum.PAUSED && s.reason === PausedReason.STARTING_UP;
}

/** The state a start ends in: running (booted), or paused by the user with VIR_DOMAIN_START_PAUSED. */
export function startTarget(paused: boolean): DomainStateInfo {
  return paused
    ? { state: DomainStateNum.PAUSED, reason: PausedReason.USER }
    : { state: DomainStateNum.RUNNING, reason: RunningReason.BOOTED };
}

/** The start finished (after `cont` unless paused): the target state and STARTED, plus SUSPENDED when paused. */
export function started(s: MachineState, paused: boolean): Step {
  const events: LifecycleEvent[] = [{ event: DomainEventType.STARTED, detail: EventStartedDetail.BOOTED }];
  if (paused) events.push({ event: DomainEventType.SUSPENDED, detail: EventSuspendedDetail.PAUSED });
  return step({ ...s, ...startTarget(paused) }, events, false);
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
    case 'BLOCK_IO_ERROR':
      return step(e.data.action === 'stop' ? { ...s, expectPause: PausedReason.IOERROR } : s, [], false);
    default:
      return step(s, [], false);
  }
}

/** The vCPUs stopped (a STOP event, or a `stop` command whose event has not come yet). */
export function onStop(s: MachineState): Step {
  if (s.state === DomainStateNum.PAUSED || s.state === DomainStateNum.SHUTDOWN || s.gotShutdown) return step(s, [], false);
  const reason = s.expectPause ?? PausedReason.UNKNOWN;
  const detail = reason === PausedReason.IOERROR ? EventSuspendedDetail.IOERROR
    : reason === PausedReason.FROM_SNAPSHOT ? EventSuspendedDetail.FROM_SNAPSHOT
    : EventSuspendedDetail.PAUSED;
  return step(
    { ...s, state: DomainStateNum.PAUSED, reason, expectPause: undefined },
    [{ event: DomainEventType.SUSPENDED, detail }],
    true,
  );
}

/** The vCPUs run again (a RESUME event, or a `cont` command whose event has not come yet). */
export function onResume(s: MachineState): Step {
  if (s.state === DomainStateNum.RUNNING) return step(s, [], false);
  if (isStartingUp(s)) {
    // The `cont` of a start: libvirtd reports it as "Resumed Unpaused" before "Started Booted";
    // the start itself sets the running state.
    return step(s, [{ event: DomainEventType.RESUMED, detail: EventResumedDetail.UNPAUSED }], false);
  }
  const reason = s.expectResume ?? RunningReason.UNPAUSED;
  const detail = reason === RunningReason.FROM_SNAPSHOT ? EventResumedDetail.FROM_SNAPSHOT : EventResumedDetail.UNPAUSED;
  return step(
    { ...s, state: DomainStateNum.RUNNING, reason, expectResume: undefined },
    [{ event: DomainEventType.RESUMED, detail }],
    true,
  );
}

function onShutdown(s: MachineState, guest: boolean): Step {
  if (s.stoppingReason !== undefined) {
    // QEMU's answer to the SIGTERM of a destroy: libvirtd reports it as "Shutdown Finished
    // after host request" before "Stopped Destroyed".
    const events = s.stoppingReason === ShutoffReason.DESTROYED ? [{ event: DomainEventType.SHUTDOWN, detail: EventShutdownDetail.HOST }] : [];
    return step(s, events, false);
  }
  if (s.state === DomainStateNum.SHUTOFF) return step(s, [], false);
  return step(
    { ...s, state: DomainStateNum.SHUTDOWN, reason: ShutdownReason.UNKNOWN, gotShutdown: true },
    [{ event: DomainEventType.SHUTDOWN, detail: guest ? EventShutdownDetail.GUEST : EventShutdownDetail.HOST }],
    true,
  );
}

/** The STOPPED detail of a stop the driver made with this shutoff reason. */
export function stoppedDetail(reason: number): number {
  return reason === ShutoffReason.SHUTDOWN ? EventStoppedDetail.SHUTDOWN
    : reason === ShutoffReason.FROM_SNAPSHOT ? EventStoppedDetail.FROM_SNAPSHOT
    : reason === ShutoffReason.CRASHED ? EventStoppedDetail.FAILED
    : EventStoppedDetail.DESTROYED;
}

/**
 * The monitor closed without the driver stopping the process: a shutdown when QEMU said
 * SHUTDOWN first, else (libvirt's processMonitorEOFEvent) a crash, reason `crashed`, event
 * STOPPED_FAILED.
 */
export function eofReason(s: MachineState): number {
  return s.gotShutdown ? ShutoffReason.SHUTDOWN : ShutoffReason.CRASHED;
}

/** The process is gone: shut off with `reason`, STOPPED with its detail. */
export function stopped(reason: number): Step {
  return step(shutoff(reason), [{ event: DomainEventType.STOPPED, detail: stoppedDetail(reason) }], false);
}

/** What QEMU answers to `query-status` (and `query-uuid`) when the driver re-attaches. */
export interface ReattachProbe {
  running: boolean;
  status: string;
  uuid: string;
}

/** Re-attach (adopt) with this state, or kill the process (reap) and report it shut off with this reason. */
export type ReattachDecision =
  | { action: 'adopt'; state: MachineState }
  | { action: 'reap'; reason: number; why: string };

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
    return { action: 'reap', reason: ShutoffReason.UNKNOWN, why: `QEMU runs domain ${probe.uuid}, not ${recorded.uuid}` };
  }
  if (isStartingUp(recorded) || (probe.status === 'prelaunch' && recorded.state === DomainStateNum.RUNNING)) {
    return { action: 'reap', reason: ShutoffReason.DAEMON, why: 'the domain was not fully started' };
  }
  if (probe.running) {
    const reason = recorded.state === DomainStateNum.RUNNING ? recorded.reason : RunningReason.UNKNOWN;
    return { action: 'adopt', state: { state: DomainStateNum.RUNNING, reason, gotShutdown } };
  }
  if (probe.status === 'shutdown') {
    return { action: 'adopt', state: { state: DomainStateNum.SHUTDOWN, reason: ShutdownReason.UNKNOWN, gotShutdown } };
  }
  const reason = recorded.state === DomainStateNum.PAUSED ? recorded.reason : pausedReasonOf(probe.status);
  return { action: 'adopt', state: { state: DomainStateNum.PAUSED, reason, gotShutdown } };
}

/** The paused reason of a QEMU run status (libvirt's qemuMonitorVMStatusToPausedReason). */
export function pausedReasonOf(status: string): number {
  switch (status) {
    case 'io-error':
      return PausedReason.IOERROR;
    case 'watchdog':
      return PausedReason.WATCHDOG;
    case 'inmigrate':
    case 'postmigrate':
    case 'finish-migrate':
      return PausedReason.MIGRATION;
    case 'save-vm':
      return PausedReason.SAVE;
    case 'prelaunch':
      return PausedReason.STARTING_UP;
    case 'internal-error':
    case 'guest-panicked':
      return PausedReason.CRASHED;
    case 'paused':
      return PausedReason.USER;
    default:
      return PausedReason.UNKNOWN;
  }
}

function step(next: MachineState, events: LifecycleEvent[], save: boolean): Step {
  return { next, events, save, reboot: false };
}
