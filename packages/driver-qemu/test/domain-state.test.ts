/** The domain state machine without QEMU: QMP events and driver requests in, state, reason, events and writes out. */
import {
  DomainEventPMSuspendedDetailType,
  DomainEventStartedDetailType,
  DomainEventType,
  DomainState,
  DomainEventResumedDetailType,
  DomainEventShutdownDetailType,
  DomainEventStoppedDetailType,
  DomainEventSuspendedDetailType,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutdownReason,
  DomainShutoffReason,
} from '@virtkit/core';
import {
  eofReason,
  onQmpEvent,
  onResume,
  onStop,
  reattach,
  shutoff,
  started,
  startingUp,
  stopped,
  type MachineState,
} from '../src/process';

const UUID = 'c7a5fdbd-edaf-9455-926a-d65c16db1809';
const running = (): MachineState => started(startingUp(), false).next;
const ev = (event: string, data: Record<string, unknown> = {}) => ({ event, data });
const pairs = (events: Array<{ event: number; detail: number }>) => events.map((e) => [e.event, e.detail]);

describe('domain state machine', () => {
  it('a start: the cont RESUME is reported as unpaused without leaving starting-up, then STARTED booted', () => {
    const s = startingUp();
    const resume = onQmpEvent(s, ev('RESUME'));
    expect(resume.next).toMatchObject({ state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP });
    expect(pairs(resume.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED],
    ]);
    expect(resume.save).toBe(false);
    const done = started(resume.next, false);
    expect(done.next).toMatchObject({ state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED });
    expect(pairs(done.events)).toEqual([[DomainEventType.VIR_DOMAIN_EVENT_STARTED, 0]]);
    const paused = started(startingUp(), true);
    expect(paused.next).toMatchObject({ state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER });
    expect(pairs(paused.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_STARTED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED],
    ]);
  });

  it('SUSPEND / SUSPEND_DISK move a running domain to pmsuspended; WAKEUP brings it back running (wakeup); others do nothing', () => {
    const mem = onQmpEvent(running(), ev('SUSPEND'));
    expect(mem.next).toMatchObject({ state: DomainState.VIR_DOMAIN_PMSUSPENDED, reason: 0 });
    expect(pairs(mem.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_PMSUSPENDED, DomainEventPMSuspendedDetailType.VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY],
    ]);
    expect(mem.save).toBe(true);
    expect(pairs(onQmpEvent(running(), ev('SUSPEND_DISK')).events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_PMSUSPENDED, DomainEventPMSuspendedDetailType.VIR_DOMAIN_EVENT_PMSUSPENDED_DISK],
    ]);
    const woken = onQmpEvent(mem.next, ev('WAKEUP'));
    expect(woken.next).toMatchObject({ state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_WAKEUP });
    expect(pairs(woken.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_WAKEUP],
    ]);
    // A paused domain does not sleep, and a running one has nothing to wake from.
    const paused = onStop({ ...running(), expectPause: DomainPausedReason.VIR_DOMAIN_PAUSED_USER }).next;
    expect(onQmpEvent(paused, ev('SUSPEND'))).toMatchObject({ events: [], save: false, next: paused });
    expect(onQmpEvent(running(), ev('WAKEUP'))).toMatchObject({ events: [], save: false });
  });

  it('STOP takes the expected reason (user, I/O error policy, snapshot) and is written; a second STOP does nothing', () => {
    const user = onStop({ ...running(), expectPause: DomainPausedReason.VIR_DOMAIN_PAUSED_USER });
    expect(user.next).toMatchObject({
      state: DomainState.VIR_DOMAIN_PAUSED,
      reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER,
      expectPause: undefined,
    });
    expect(pairs(user.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED],
    ]);
    expect(user.save).toBe(true);
    expect(onQmpEvent(user.next, ev('STOP'))).toMatchObject({ events: [], save: false });

    const io = onQmpEvent(running(), ev('BLOCK_IO_ERROR', { action: 'stop' }));
    const stopIo = onQmpEvent(io.next, ev('STOP'));
    expect(stopIo.next.reason).toBe(DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR);
    expect(pairs(stopIo.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_IOERROR],
    ]);
    expect(onQmpEvent(running(), ev('BLOCK_IO_ERROR', { action: 'report' })).next.expectPause).toBeUndefined();

    const snap = onStop({ ...running(), expectPause: DomainPausedReason.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT });
    expect(pairs(snap.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, DomainEventSuspendedDetailType.VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT],
    ]);
    expect(onStop(running()).next.reason).toBe(DomainPausedReason.VIR_DOMAIN_PAUSED_UNKNOWN);
  });

  it('RESUME after a pause is unpaused (or from snapshot) and written', () => {
    const paused = onStop(running()).next;
    const r = onResume(paused);
    expect(r.next).toMatchObject({ state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED });
    expect(pairs(r.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED],
    ]);
    expect(r.save).toBe(true);
    const snap = onResume({ ...paused, expectResume: DomainRunningReason.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT });
    expect(pairs(snap.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_RESUMED, DomainEventResumedDetailType.VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT],
    ]);
    expect(onResume(running())).toMatchObject({ events: [], save: false });
  });

  it('a guest SHUTDOWN is recorded; a later STOP is ignored and the EOF is a shutdown, not a crash', () => {
    const sd = onQmpEvent(running(), ev('SHUTDOWN', { guest: true }));
    expect(sd.next).toMatchObject({
      state: DomainState.VIR_DOMAIN_SHUTDOWN,
      reason: DomainShutdownReason.VIR_DOMAIN_SHUTDOWN_UNKNOWN,
      gotShutdown: true,
    });
    expect(pairs(sd.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST],
    ]);
    expect(sd.save).toBe(true);
    expect(onQmpEvent(sd.next, ev('STOP')).events).toEqual([]);
    expect(eofReason(sd.next)).toBe(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    expect(eofReason(running())).toBe(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED);
    expect(pairs(onQmpEvent(running(), ev('SHUTDOWN', { guest: false })).events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST],
    ]);
  });

  it('a SHUTDOWN during a destroy is "finished after host request" and changes no state', () => {
    const s = { ...running(), stoppingReason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED };
    const sd = onQmpEvent(s, ev('SHUTDOWN', { guest: false }));
    expect(sd.next).toEqual(s);
    expect(pairs(sd.events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST],
    ]);
    expect(onQmpEvent({ ...running(), stoppingReason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN }, ev('SHUTDOWN')).events).toEqual(
      [],
    );
  });

  it('RESET asks for a reboot event; the end of a run is shut off with the STOPPED detail of its reason', () => {
    expect(onQmpEvent(running(), ev('RESET'))).toMatchObject({ reboot: true, events: [] });
    expect(pairs(stopped(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED).events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED],
    ]);
    expect(pairs(stopped(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN).events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN],
    ]);
    expect(pairs(stopped(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED).events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FAILED],
    ]);
    expect(pairs(stopped(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT).events)).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT],
    ]);
    expect(stopped(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED).next).toEqual(
      shutoff(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED),
    );
  });

  it('re-attach adopts what QEMU confirms and reaps a start that never finished or another domain', () => {
    const rec = (state: number, reason: number) => ({ state, reason, uuid: UUID });
    const probe = (running: boolean, status: string, uuid = UUID) => ({ running, status, uuid });
    expect(reattach(rec(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED), probe(true, 'running'))).toEqual({
      action: 'adopt',
      state: { state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED, gotShutdown: false },
    });
    // The record names the start's target, but `cont` never happened.
    expect(
      reattach(rec(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED), probe(false, 'prelaunch')),
    ).toMatchObject({ action: 'reap', reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DAEMON });
    expect(
      reattach(rec(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP), probe(false, 'prelaunch')),
    ).toMatchObject({ action: 'reap' });
    // A paused start is complete once recorded.
    expect(
      reattach(rec(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER), probe(false, 'prelaunch')),
    ).toMatchObject({
      action: 'adopt',
      state: { state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER },
    });
    expect(
      reattach(rec(DomainState.VIR_DOMAIN_RUNNING, DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED), probe(false, 'io-error')),
    ).toMatchObject({
      action: 'adopt',
      state: { state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_IOERROR },
    });
    expect(reattach(rec(DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER), probe(true, 'running'))).toMatchObject({
      action: 'adopt',
      state: { state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_UNKNOWN },
    });
    expect(reattach({ ...rec(DomainState.VIR_DOMAIN_SHUTDOWN, 0), gotShutdown: true }, probe(false, 'shutdown'))).toMatchObject({
      action: 'adopt',
      state: { state: DomainState.VIR_DOMAIN_SHUTDOWN, gotShutdown: true },
    });
    // A guest asleep when the driver went away is still asleep.
    expect(reattach(rec(DomainState.VIR_DOMAIN_PMSUSPENDED, 0), probe(false, 'suspended'))).toEqual({
      action: 'adopt',
      state: { state: DomainState.VIR_DOMAIN_PMSUSPENDED, reason: 0, gotShutdown: false },
    });
    expect(reattach(rec(DomainState.VIR_DOMAIN_RUNNING, 1), probe(true, 'running', '00000000-0000-0000-0000-000000000000'))).toMatchObject({
      action: 'reap',
    });
    expect(reattach(rec(DomainState.VIR_DOMAIN_RUNNING, 1), probe(true, 'running', UUID.toUpperCase()))).toMatchObject({ action: 'adopt' });
  });
});
