/** The domain state machine without QEMU: QMP events and driver requests in, state, reason, events and writes out. */
import {
  DomainEventType as E,
  DomainStateNum as S,
  EventResumedDetail,
  EventShutdownDetail,
  EventStoppedDetail,
  EventSuspendedDetail,
  PausedReason,
  RunningReason,
  ShutdownReason,
  ShutoffReason,
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
    expect(resume.next).toMatchObject({ state: S.PAUSED, reason: PausedReason.STARTING_UP });
    expect(pairs(resume.events)).toEqual([[E.RESUMED, EventResumedDetail.UNPAUSED]]);
    expect(resume.save).toBe(false);
    const done = started(resume.next, false);
    expect(done.next).toMatchObject({ state: S.RUNNING, reason: RunningReason.BOOTED });
    expect(pairs(done.events)).toEqual([[E.STARTED, 0]]);
    const paused = started(startingUp(), true);
    expect(paused.next).toMatchObject({ state: S.PAUSED, reason: PausedReason.USER });
    expect(pairs(paused.events)).toEqual([[E.STARTED, 0], [E.SUSPENDED, EventSuspendedDetail.PAUSED]]);
  });

  it('STOP takes the expected reason (user, I/O error policy, snapshot) and is written; a second STOP does nothing', () => {
    const user = onStop({ ...running(), expectPause: PausedReason.USER });
    expect(user.next).toMatchObject({ state: S.PAUSED, reason: PausedReason.USER, expectPause: undefined });
    expect(pairs(user.events)).toEqual([[E.SUSPENDED, EventSuspendedDetail.PAUSED]]);
    expect(user.save).toBe(true);
    expect(onQmpEvent(user.next, ev('STOP'))).toMatchObject({ events: [], save: false });

    const io = onQmpEvent(running(), ev('BLOCK_IO_ERROR', { action: 'stop' }));
    const stopIo = onQmpEvent(io.next, ev('STOP'));
    expect(stopIo.next.reason).toBe(PausedReason.IOERROR);
    expect(pairs(stopIo.events)).toEqual([[E.SUSPENDED, EventSuspendedDetail.IOERROR]]);
    expect(onQmpEvent(running(), ev('BLOCK_IO_ERROR', { action: 'report' })).next.expectPause).toBeUndefined();

    const snap = onStop({ ...running(), expectPause: PausedReason.FROM_SNAPSHOT });
    expect(pairs(snap.events)).toEqual([[E.SUSPENDED, EventSuspendedDetail.FROM_SNAPSHOT]]);
    expect(onStop(running()).next.reason).toBe(PausedReason.UNKNOWN);
  });

  it('RESUME after a pause is unpaused (or from snapshot) and written', () => {
    const paused = onStop(running()).next;
    const r = onResume(paused);
    expect(r.next).toMatchObject({ state: S.RUNNING, reason: RunningReason.UNPAUSED });
    expect(pairs(r.events)).toEqual([[E.RESUMED, EventResumedDetail.UNPAUSED]]);
    expect(r.save).toBe(true);
    const snap = onResume({ ...paused, expectResume: RunningReason.FROM_SNAPSHOT });
    expect(pairs(snap.events)).toEqual([[E.RESUMED, EventResumedDetail.FROM_SNAPSHOT]]);
    expect(onResume(running())).toMatchObject({ events: [], save: false });
  });

  it('a guest SHUTDOWN is recorded; a later STOP is ignored and the EOF is a shutdown, not a crash', () => {
    const sd = onQmpEvent(running(), ev('SHUTDOWN', { guest: true }));
    expect(sd.next).toMatchObject({ state: S.SHUTDOWN, reason: ShutdownReason.UNKNOWN, gotShutdown: true });
    expect(pairs(sd.events)).toEqual([[E.SHUTDOWN, EventShutdownDetail.GUEST]]);
    expect(sd.save).toBe(true);
    expect(onQmpEvent(sd.next, ev('STOP')).events).toEqual([]);
    expect(eofReason(sd.next)).toBe(ShutoffReason.SHUTDOWN);
    expect(eofReason(running())).toBe(ShutoffReason.CRASHED);
    expect(pairs(onQmpEvent(running(), ev('SHUTDOWN', { guest: false })).events)).toEqual([[E.SHUTDOWN, EventShutdownDetail.HOST]]);
  });

  it('a SHUTDOWN during a destroy is "finished after host request" and changes no state', () => {
    const s = { ...running(), stoppingReason: ShutoffReason.DESTROYED };
    const sd = onQmpEvent(s, ev('SHUTDOWN', { guest: false }));
    expect(sd.next).toEqual(s);
    expect(pairs(sd.events)).toEqual([[E.SHUTDOWN, EventShutdownDetail.HOST]]);
    expect(onQmpEvent({ ...running(), stoppingReason: ShutoffReason.SHUTDOWN }, ev('SHUTDOWN')).events).toEqual([]);
  });

  it('RESET asks for a reboot event; the end of a run is shut off with the STOPPED detail of its reason', () => {
    expect(onQmpEvent(running(), ev('RESET'))).toMatchObject({ reboot: true, events: [] });
    expect(pairs(stopped(ShutoffReason.DESTROYED).events)).toEqual([[E.STOPPED, EventStoppedDetail.DESTROYED]]);
    expect(pairs(stopped(ShutoffReason.SHUTDOWN).events)).toEqual([[E.STOPPED, EventStoppedDetail.SHUTDOWN]]);
    expect(pairs(stopped(ShutoffReason.CRASHED).events)).toEqual([[E.STOPPED, EventStoppedDetail.FAILED]]);
    expect(pairs(stopped(ShutoffReason.FROM_SNAPSHOT).events)).toEqual([[E.STOPPED, EventStoppedDetail.FROM_SNAPSHOT]]);
    expect(stopped(ShutoffReason.DESTROYED).next).toEqual(shutoff(ShutoffReason.DESTROYED));
  });

  it('re-attach adopts what QEMU confirms and reaps a start that never finished or another domain', () => {
    const rec = (state: number, reason: number) => ({ state, reason, uuid: UUID });
    const probe = (running: boolean, status: string, uuid = UUID) => ({ running, status, uuid });
    expect(reattach(rec(S.RUNNING, RunningReason.BOOTED), probe(true, 'running'))).toEqual({
      action: 'adopt', state: { state: S.RUNNING, reason: RunningReason.BOOTED, gotShutdown: false },
    });
    // The record names the start's target, but `cont` never happened.
    expect(reattach(rec(S.RUNNING, RunningReason.BOOTED), probe(false, 'prelaunch'))).toMatchObject({ action: 'reap', reason: ShutoffReason.DAEMON });
    expect(reattach(rec(S.PAUSED, PausedReason.STARTING_UP), probe(false, 'prelaunch'))).toMatchObject({ action: 'reap' });
    // A paused start is complete once recorded.
    expect(reattach(rec(S.PAUSED, PausedReason.USER), probe(false, 'prelaunch'))).toMatchObject({
      action: 'adopt', state: { state: S.PAUSED, reason: PausedReason.USER },
    });
    expect(reattach(rec(S.RUNNING, RunningReason.UNPAUSED), probe(false, 'io-error'))).toMatchObject({
      action: 'adopt', state: { state: S.PAUSED, reason: PausedReason.IOERROR },
    });
    expect(reattach(rec(S.PAUSED, PausedReason.USER), probe(true, 'running'))).toMatchObject({
      action: 'adopt', state: { state: S.RUNNING, reason: RunningReason.UNKNOWN },
    });
    expect(reattach({ ...rec(S.SHUTDOWN, 0), gotShutdown: true }, probe(false, 'shutdown'))).toMatchObject({
      action: 'adopt', state: { state: S.SHUTDOWN, gotShutdown: true },
    });
    expect(reattach(rec(S.RUNNING, 1), probe(true, 'running', '00000000-0000-0000-0000-000000000000'))).toMatchObject({ action: 'reap' });
    expect(reattach(rec(S.RUNNING, 1), probe(true, 'running', UUID.toUpperCase()))).toMatchObject({ action: 'adopt' });
  });
});
