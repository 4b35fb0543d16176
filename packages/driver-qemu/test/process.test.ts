/** Process management with real QEMU: start, state/events, crash detection, stop, reconnect. */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ErrorNumber,
  VirError,
  DomainEventShutdownDetailType,
  DomainEventStoppedDetailType,
  DomainEventType,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
} from '@virtkit/core';
import { embedPaths } from '../src/paths';
import { QemuProcessManager, statusPath, type DomainStatus, type LifecycleEvent } from '../src/process';
import { ACCEL, makeDisk, pidAliveSync, rejection, tmpDir, vmArgv } from './helpers';

const UUID = 'c7a5fdbd-edaf-9455-926a-d65c16db1809';
const XML = `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid></domain>`;

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('QEMU process runtime', () => {
  let root: string;
  let disk: string;
  const managers: QemuProcessManager[] = [];
  const newManager = () => {
    const m = new QemuProcessManager(embedPaths(root), { killWaitMs: 2_000 });
    managers.push(m);
    return m;
  };

  beforeEach(() => {
    root = tmpDir('vk-');
    disk = makeDisk(root);
  });

  afterEach(async () => {
    for (const m of managers.splice(0)) {
      for (const d of m.domains.values()) if (d.active) await d.stop('force').catch(() => undefined);
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts running, writes status/log/pid files, suspends, resumes, destroys', async () => {
    const mgr = newManager();
    const dom = mgr.domain('vm1', UUID);
    const events: LifecycleEvent[] = [];
    dom.on('lifecycle', (e) => events.push(e));
    await dom.start({ xml: XML, argv: vmArgv(disk) });
    expect(dom.state).toEqual({ state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED });
    expect(events).toEqual([
      { event: DomainEventType.VIR_DOMAIN_EVENT_RESUMED, detail: 0 },
      { event: DomainEventType.VIR_DOMAIN_EVENT_STARTED, detail: 0 },
    ]);
    expect(dom.id).toBe(1);

    const paths = embedPaths(root);
    const st = JSON.parse(fs.readFileSync(statusPath(paths.stateDir, 'vm1'), 'utf8')) as DomainStatus;
    expect(st).toEqual(
      expect.objectContaining({ name: 'vm1', uuid: UUID, id: 1, pid: dom.pid, xml: XML, state: DomainState.VIR_DOMAIN_RUNNING }),
    );
    expect(st.monitorPath.startsWith(path.join(root, 'lib'))).toBe(true);
    expect(Number(fs.readFileSync(st.pidFile, 'utf8').trim())).toBe(dom.pid);
    const log = fs.readFileSync(path.join(root, 'log', 'vm1.log'), 'utf8');
    expect(log).toMatch(/starting up virtkit version/);
    expect(log).toMatch(/-machine \\\nq35/);
    // The directory is not world readable.
    expect(fs.statSync(paths.stateDir).mode & 0o077).toBe(0);

    await dom.suspend();
    expect(dom.state).toEqual({ state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER });
    await dom.resume();
    expect(dom.state).toEqual({ state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_UNPAUSED });
    // A pause from outside (monitor passthrough) is seen through the STOP event.
    await dom.qmp('stop');
    await until(() => dom.state.state === DomainState.VIR_DOMAIN_PAUSED);
    expect(dom.state.reason).toBe(DomainPausedReason.VIR_DOMAIN_PAUSED_UNKNOWN);
    await dom.resume();
    await dom.reset();
    expect(await dom.hmp('info status')).toMatch(/VM status: running/);

    const pid = dom.pid!;
    await dom.stop('force');
    expect(pidAliveSync(pid)).toBe(false);
    expect(dom.state).toEqual({ state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED });
    expect(events.map((e) => [e.event, e.detail])).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_RESUMED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_STARTED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_RESUMED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_RESUMED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST],
      [DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED],
    ]);
    expect(fs.existsSync(statusPath(paths.stateDir, 'vm1'))).toBe(false);
    expect(fs.existsSync(st.pidFile)).toBe(false);
    expect(fs.existsSync(st.monitorPath)).toBe(false);
    await expect(dom.suspend()).rejects.toMatchObject({ code: ErrorNumber.VIR_ERR_OPERATION_INVALID });
  });

  it('starts paused (STARTED then SUSPENDED) and stops gracefully with SIGTERM', async () => {
    const mgr = newManager();
    const dom = mgr.domain('vm1', UUID);
    const events: LifecycleEvent[] = [];
    mgr.on('lifecycle', (e) => events.push({ event: e.event, detail: e.detail }));
    await dom.start({ xml: XML, argv: vmArgv(disk), paused: true });
    expect(dom.state).toEqual({ state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER });
    expect((await dom.qmp<{ status: string }>('query-status')).status).toBe('prelaunch');
    await dom.stop('graceful');
    expect(events).toEqual([
      { event: DomainEventType.VIR_DOMAIN_EVENT_STARTED, detail: 0 },
      { event: DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, detail: 0 },
      { event: DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, detail: DomainEventShutdownDetailType.VIR_DOMAIN_EVENT_SHUTDOWN_HOST },
      { event: DomainEventType.VIR_DOMAIN_EVENT_STOPPED, detail: DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED },
    ]);
  });

  it('detects QEMU death: shut off, reason crashed, STOPPED event (libvirt: detail FAILED)', async () => {
    const mgr = newManager();
    const dom = mgr.domain('vm1', UUID);
    await dom.start({ xml: XML, argv: vmArgv(disk) });
    const stopped = new Promise<LifecycleEvent>((r) =>
      dom.on('lifecycle', (e: LifecycleEvent) => e.event === DomainEventType.VIR_DOMAIN_EVENT_STOPPED && r(e)),
    );
    process.kill(dom.pid!, 'SIGKILL');
    const ev = await stopped;
    expect(ev.detail).toBe(DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FAILED);
    expect(dom.state).toEqual({ state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED });
    expect(fs.existsSync(statusPath(embedPaths(root).stateDir, 'vm1'))).toBe(false);
    expect(fs.readFileSync(dom.logPath, 'utf8')).toMatch(/shutting down, reason=crashed/);
  });

  it('QMP quit: SHUTDOWN then EOF is a shutdown, not a crash', async () => {
    const mgr = newManager();
    const dom = mgr.domain('vm1', UUID);
    const events: LifecycleEvent[] = [];
    dom.on('lifecycle', (e) => events.push(e));
    await dom.start({ xml: XML, argv: vmArgv(disk) });
    await dom.qmp('quit').catch(() => undefined);
    await dom.waitStopped();
    expect(dom.state).toEqual({ state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SHUTDOWN });
    expect(events.slice(2).map((e) => [e.event, e.detail])).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_SHUTDOWN, 2 /* HOST */],
      [DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN],
    ]);
  });

  it('reports a start failure with the QEMU log', async () => {
    const dom = newManager().domain('bad', UUID);
    const err = await rejection(dom.start({ xml: XML, argv: vmArgv(disk, ['-device', 'no-such-device']) }));
    expect(err).toBeInstanceOf(VirError);
    expect(err.code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
    expect(err.message).toMatch(
      /^internal error: QEMU unexpectedly closed the monitor \(vm='bad'\): .*'no-such-device' is not a valid device model name/s,
    );
    expect(dom.active).toBe(false);
    expect(fs.readdirSync(path.join(root, 'run')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('reconnects to a running domain on driver open and keeps following it', async () => {
    const a = newManager();
    const domA = a.domain('vm1', UUID);
    await domA.start({ xml: XML, argv: vmArgv(disk) });
    const pid = domA.pid!;
    await a.detachAll(); // the "driver" goes away, QEMU stays
    expect(pidAliveSync(pid)).toBe(true);

    const b = newManager();
    const results = await b.reconnectAll();
    expect(results).toEqual([
      {
        name: 'vm1',
        uuid: UUID,
        outcome: 'running',
        state: { state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED },
      },
    ]);
    const domB = b.domains.get('vm1')!;
    expect(domB.pid).toBe(pid);
    expect(domB.liveXml).toBe(XML);
    expect(b.allocateId()).toBe(2); // id 1 is taken by the reconnected domain
    await domB.suspend();
    expect(domB.state.state).toBe(DomainState.VIR_DOMAIN_PAUSED);
    const stopped = new Promise<LifecycleEvent>((r) => domB.on('lifecycle', (e: LifecycleEvent) => e.event === 5 && r(e)));
    process.kill(pid, 'SIGKILL');
    expect((await stopped).detail).toBe(DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_FAILED);
  });

  it('a start cut off between its last status write and cont is reaped on reconnect, as libvirt kills a half-started domain', async () => {
    const a = newManager();
    const dom = a.domain('vm1', UUID);
    const file = statusPath(embedPaths(root).stateDir, 'vm1');
    await dom.start({ xml: XML, argv: vmArgv(disk), paused: true });
    const pid = dom.pid!;
    const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as DomainStatus;
    expect([recorded.state, recorded.reason]).toEqual([DomainState.VIR_DOMAIN_PAUSED, DomainPausedReason.VIR_DOMAIN_PAUSED_USER]);

    // The write before `cont` records the state the start ends in; a crash right after it leaves
    // that record and a QEMU still in prelaunch.
    fs.writeFileSync(
      file,
      JSON.stringify({ ...recorded, state: DomainState.VIR_DOMAIN_RUNNING, reason: DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED }),
    );
    await a.detachAll();
    const [result] = await newManager().reconnectAll();
    expect(result).toMatchObject({
      outcome: 'shutoff',
      state: { state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DAEMON },
    });
    expect(pidAliveSync(pid)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(recorded.pidFile)).toBe(false);
  });

  it('a paused start that made its last write is adopted paused', async () => {
    const a = newManager();
    await a.domain('vm1', UUID).start({ xml: XML, argv: vmArgv(disk), paused: true });
    await a.detachAll();
    const [result] = await newManager().reconnectAll();
    expect(result).toMatchObject({
      outcome: 'running',
      state: { state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER },
    });
  });

  it('records the run as starting up before the monitor answers, and reaps such a record', async () => {
    const a = newManager();
    const dom = a.domain('vm1', UUID);
    const file = statusPath(embedPaths(root).stateDir, 'vm1');
    const seen: DomainStatus[] = [];
    const watch = setInterval(() => {
      try {
        seen.push(JSON.parse(fs.readFileSync(file, 'utf8')) as DomainStatus);
      } catch {
        /* not there yet, or being replaced */
      }
    }, 1);
    // QEMU waits before its monitor comes up: the early record is on disk meanwhile.
    await dom.start({ xml: XML, argv: vmArgv(disk) }).finally(() => clearInterval(watch));
    const early = seen.find(
      (s) => s.reason === DomainPausedReason.VIR_DOMAIN_PAUSED_STARTING_UP && s.state === DomainState.VIR_DOMAIN_PAUSED,
    );
    expect(early).toMatchObject({ pid: dom.pid, uuid: UUID });

    // A driver that dies at that point leaves that record: the next open kills the QEMU.
    const pid = dom.pid!;
    await a.detachAll();
    fs.writeFileSync(file, JSON.stringify(early));
    const [result] = await newManager().reconnectAll();
    expect(result).toMatchObject({ outcome: 'shutoff', error: 'the domain was not fully started' });
    expect(pidAliveSync(pid)).toBe(false);
  });

  it('kills a QEMU that holds the domain pid file with no status record, on open and before a start', async () => {
    const paths = embedPaths(root);
    const a = newManager();
    await a.domain('vm1', UUID).start({ xml: XML, argv: vmArgv(disk) });
    const first = a.domains.get('vm1')!.pid!;
    await a.detachAll();
    // The record is lost (a start killed between spawn and its first write looks the same).
    fs.rmSync(statusPath(paths.stateDir, 'vm1'));
    expect(await newManager().reconnectAll()).toEqual([]);
    expect(pidAliveSync(first)).toBe(false);

    const b = newManager();
    await b.domain('vm1', UUID).start({ xml: XML, argv: vmArgv(disk) });
    const second = b.domains.get('vm1')!.pid!;
    await b.detachAll();
    fs.rmSync(statusPath(paths.stateDir, 'vm1'));
    // Without a driver open in between, the next start finds the holder itself.
    const c = newManager();
    await c.domain('vm1', UUID).start({ xml: XML, argv: vmArgv(disk) });
    expect(pidAliveSync(second)).toBe(false);
    expect(c.domains.get('vm1')!.pid).not.toBe(second);
    expect(fs.readFileSync(path.join(root, 'log', 'vm1.log'), 'utf8')).toContain(
      `killed QEMU process ${second} that no status record tracked (before a start)`,
    );
  });

  it('cleans up status files of dead or unresponsive QEMU on reconnect', async () => {
    const paths = embedPaths(root);
    fs.mkdirSync(paths.stateDir, { recursive: true });
    const base: DomainStatus = {
      format: 1,
      name: 'dead',
      uuid: UUID,
      id: 3,
      pid: 0,
      monitorPath: path.join(root, 'none.sock'),
      pidFile: path.join(paths.stateDir, 'dead.pid'),
      logPath: '',
      privateDir: path.join(root, 'lib', 'domain-3-dead'),
      emulator: '/usr/bin/qemu-system-x86_64',
      argv: [],
      xml: '',
      startTime: 0,
      state: 1,
      reason: 1,
    };
    // A pid that surely does not exist any more.
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    fs.writeFileSync(statusPath(paths.stateDir, 'dead'), JSON.stringify({ ...base, pid: gone.pid }));
    // A live process whose monitor never answers.
    const hung = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    fs.writeFileSync(statusPath(paths.stateDir, 'hung'), JSON.stringify({ ...base, name: 'hung', id: 4, pid: hung.pid }));
    fs.writeFileSync(path.join(paths.stateDir, 'garbage.json'), '{not json');
    const results = await newManager().reconnectAll(300);
    expect(results.map((r) => [r.name, r.outcome, r.state])).toEqual([
      ['dead', 'shutoff', { state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_CRASHED }],
      ['hung', 'shutoff', { state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN }],
    ]);
    await until(() => hung.exitCode !== null || hung.signalCode !== null);
    expect(fs.readdirSync(paths.stateDir)).toEqual([]);
  });

  it('QEMU outlives the process that started it and is re-attached', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'start-detached.ts');
    const out = execFileSync(process.execPath, ['--import', 'tsx', fixture, root, disk, 'orphan', ACCEL], {
      cwd: path.resolve(__dirname, '../../..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const { pid } = JSON.parse(out.trim().split('\n').pop()!);
    expect(pidAliveSync(pid)).toBe(true);
    const mgr = newManager();
    const [r] = await mgr.reconnectAll();
    expect(r).toMatchObject({ name: 'orphan', outcome: 'running' });
    const dom = mgr.domains.get('orphan')!;
    expect((await dom.qmp<{ running: boolean }>('query-status')).running).toBe(true);
    await dom.stop('force');
    expect(pidAliveSync(pid)).toBe(false);
  });
});
