/** QMP client against real QEMU processes, plus a fake monitor for timeouts and EOF. */
import { spawn, spawnSync, type ChildProcess, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { QmpClient, type QmpEvent } from '../src/qmp';
import { makeDisk, rejection, tmpDir, vmArgv } from './helpers';

interface Vm {
  child: ChildProcess;
  sock: string;
  dir: string;
  disk: string;
}

function bootVm(): Vm {
  const dir = tmpDir();
  const disk = makeDisk(dir);
  const sock = path.join(dir, 'qmp.sock');
  const argv = vmArgv(disk, ['-S', '-qmp', `unix:${sock},server=on,wait=off`]);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
  return { child, sock, dir, disk };
}

async function killVm(vm: Vm): Promise<void> {
  if (vm.child.exitCode === null && vm.child.signalCode === null) {
    const done = new Promise((r) => vm.child.once('exit', r));
    vm.child.kill('SIGKILL');
    await done;
  }
  fs.rmSync(vm.dir, { recursive: true, force: true });
}

describe('QmpClient with real QEMU', () => {
  let vm: Vm;
  let qmp: QmpClient;

  beforeAll(async () => {
    vm = bootVm();
    qmp = await QmpClient.connect(vm.sock, { connectTimeoutMs: 20_000 });
  });

  afterAll(async () => {
    await qmp?.close();
    await killVm(vm);
  });

  it('negotiates capabilities and reports the greeting', async () => {
    expect(qmp.greeting?.version.qemu.major).toBe(7);
    const st = await qmp.execute<{ running: boolean; status: string }>('query-status');
    expect(st).toEqual(expect.objectContaining({ running: false, status: 'prelaunch' }));
  });

  it('serializes concurrent commands and matches replies', async () => {
    const cmds = ['query-version', 'query-kvm', 'query-status', 'query-name', 'query-target'];
    const all = await Promise.all(Array.from({ length: 25 }, (_, i) => qmp.execute<Record<string, unknown>>(cmds[i % cmds.length]!)));
    all.forEach((r, i) => {
      const c = cmds[i % cmds.length];
      if (c === 'query-version') expect(r).toHaveProperty('qemu');
      if (c === 'query-kvm') expect(r).toHaveProperty('present');
      if (c === 'query-status') expect(r).toHaveProperty('status');
      if (c === 'query-target') expect(r).toEqual({ arch: 'x86_64' });
    });
  });

  it('maps QMP errors to VirError as libvirt words them', async () => {
    const err = await rejection(qmp.execute('no-such-command'));
    expect(err).toBeInstanceOf(VirError);
    expect(err.code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
    expect(err.domain).toBe(ErrorDomain.VIR_FROM_QEMU);
    expect(err.message).toBe(
      "internal error: unable to execute QEMU command 'no-such-command': The command no-such-command has not been found",
    );
    // The connection stays usable after an error.
    await expect(qmp.execute('query-status')).resolves.toHaveProperty('status');
  });

  it('delivers STOP / RESUME / RESET events', async () => {
    const seen: string[] = [];
    const onEvent = (e: QmpEvent) => seen.push(e.event);
    qmp.on('event', onEvent);
    const resumed = qmp.waitEvent('RESUME', 10_000);
    await qmp.execute('cont');
    await resumed;
    const stopped = qmp.waitEvent('STOP', 10_000);
    await qmp.execute('stop');
    const ev = await stopped;
    expect(ev.timestamp.seconds).toBeGreaterThan(0);
    const reset = qmp.waitEvent('RESET', 10_000);
    await qmp.execute('system_reset');
    expect((await reset).data).toEqual(expect.objectContaining({ guest: false }));
    qmp.off('event', onEvent);
    expect(seen).toEqual(expect.arrayContaining(['RESUME', 'STOP', 'RESET']));
  });

  it('runs qemu-io through HMP passthrough', async () => {
    // qemu-io prints to QEMU's stdout, not the monitor: verify the data from outside instead.
    expect(await qmp.hmp('qemu-io -d vd0/virtio-backend "write -P 0xab 0 4k"')).toBe('');
    expect(await qmp.hmp('qemu-io -d vd0/virtio-backend "flush"')).toBe('');
    const check = (pattern: string) =>
      spawnSync('qemu-io', ['-U', '-r', '-f', 'qcow2', '-c', `read -P ${pattern} 0 4k`, vm.disk], { encoding: 'utf8' }).stdout;
    expect(check('0xab')).toMatch(/read 4096\/4096 bytes/);
    expect(check('0xcd')).toMatch(/Pattern verification failed/);
    // HMP errors come back as text, as from virsh qemu-monitor-command --hmp.
    expect(await qmp.hmp('qemu-io -d nosuchdev "read 0 512"')).toMatch(/not found|No such/i);
    expect(await qmp.hmp('info block')).toMatch(/d0: .*disk\.qcow2 \(qcow2\)/);
  });

  it('delivers block job events (mirror: JOB_STATUS_CHANGE, READY, COMPLETED; CANCELLED)', async () => {
    const events: QmpEvent[] = [];
    const onEvent = (e: QmpEvent) => events.push(e);
    qmp.on('event', onEvent);
    for (const [i, kind] of [
      [1, 'complete'],
      [2, 'cancel'],
    ] as const) {
      const target = path.join(vm.dir, `mirror${i}.qcow2`);
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', target, '16M']);
      await qmp.execute('blockdev-add', { driver: 'file', filename: target, 'node-name': `mf${i}` });
      await qmp.execute('blockdev-add', { driver: 'qcow2', file: `mf${i}`, 'node-name': `mt${i}` });
      const ready = qmp.waitEvent('BLOCK_JOB_READY', 20_000, (e) => e.data.device === `job${i}`);
      await qmp.execute('blockdev-mirror', { 'job-id': `job${i}`, device: 'd0', target: `mt${i}`, sync: 'full' });
      await ready;
      if (kind === 'complete') {
        const done = qmp.waitEvent('BLOCK_JOB_COMPLETED', 20_000, (e) => e.data.device === `job${i}`);
        await qmp.execute('block-job-complete', { device: `job${i}` });
        expect((await done).data).toEqual(expect.objectContaining({ type: 'mirror', len: expect.any(Number) }));
      } else {
        const done = qmp.waitEvent('BLOCK_JOB_CANCELLED', 20_000, (e) => e.data.device === `job${i}`);
        await qmp.execute('block-job-cancel', { device: `job${i}`, force: true });
        await done;
      }
    }
    qmp.off('event', onEvent);
    const statuses = events.filter((e) => e.event === 'JOB_STATUS_CHANGE').map((e) => e.data.status);
    expect(statuses).toEqual(expect.arrayContaining(['created', 'running', 'ready', 'concluded', 'null']));
  });

  it('delivers DEVICE_DELETED on unplug', async () => {
    const disk2 = makeDisk(vm.dir, 'hot.qcow2');
    await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': 'hot0', file: { driver: 'file', filename: disk2 } });
    await qmp.execute('device_add', { driver: 'scsi-hd', bus: 'scsi0.0', drive: 'hot0', id: 'hotdisk' });
    const deleted = qmp.waitEvent('DEVICE_DELETED', 10_000, (e) => e.data.device === 'hotdisk');
    await qmp.execute('device_del', { id: 'hotdisk' });
    expect((await deleted).data.path).toMatch(/hotdisk/);
  });
});

describe('QmpClient lifecycle', () => {
  it('closes cleanly; QEMU keeps running and accepts a new connection', async () => {
    const vm = bootVm();
    try {
      const a = await QmpClient.connect(vm.sock);
      const closed = new Promise<{ eof: boolean }>((r) => a.once('close', r));
      await a.close();
      expect((await closed).eof).toBe(false);
      await expect(a.execute('query-status')).rejects.toMatchObject({ code: ErrorNumber.VIR_ERR_OPERATION_INVALID });
      const b = await QmpClient.connect(vm.sock);
      await expect(b.execute('query-status')).resolves.toHaveProperty('status');
      // QEMU quitting: SHUTDOWN event, then EOF.
      const shutdown = b.waitEvent('SHUTDOWN');
      const eof = new Promise<{ eof: boolean }>((r) => b.once('close', r));
      await b.execute('quit');
      expect((await shutdown).data).toEqual(expect.objectContaining({ guest: false, reason: 'host-qmp-quit' }));
      expect((await eof).eof).toBe(true);
    } finally {
      await killVm(vm);
    }
  });

  it('fails connecting to a missing socket after the bound', async () => {
    const dir = tmpDir();
    const t0 = Date.now();
    const err = await rejection(QmpClient.connect(path.join(dir, 'nope.sock'), { connectTimeoutMs: 200 }));
    expect(err).toBeInstanceOf(VirError);
    expect(err.message).toMatch(/failed to connect to monitor socket/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('QmpClient with a fake monitor', () => {
  /** A QMP server that negotiates, then answers only what `reply` returns (undefined = silence). */
  async function fakeMonitor(reply: (cmd: { execute: string; id: string }, sock: net.Socket) => object | undefined) {
    const dir = tmpDir();
    const p = path.join(dir, 'fake.sock');
    const conns: net.Socket[] = [];
    const server = net.createServer((s) => {
      conns.push(s);
      s.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}\r\n');
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const msg = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          const r = msg.execute === 'qmp_capabilities' ? { return: {} } : reply(msg, s);
          if (r) s.write(`${JSON.stringify({ ...r, id: msg.id })}\r\n`);
        }
      });
    });
    await new Promise<void>((r) => server.listen(p, r));
    return {
      path: p,
      conns,
      close: () => {
        conns.forEach((c) => c.destroy());
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('times out a command, drops its late reply and goes on', async () => {
    let held: { id: string; sock: net.Socket } | undefined;
    const fake = await fakeMonitor((cmd, sock) => {
      if (cmd.execute === 'slow') {
        held = { id: cmd.id, sock };
        return undefined;
      }
      return { return: { echo: cmd.execute } };
    });
    const c = await QmpClient.connect(fake.path, { commandTimeoutMs: 100 });
    const err = await rejection(c.execute('slow'));
    expect(err.code).toBe(ErrorNumber.VIR_ERR_OPERATION_TIMEOUT);
    expect(err.message).toBe("Timed out during operation: QEMU command 'slow' did not reply within 100 ms");
    // The late reply arrives before the next command's reply: it must not be taken for it.
    held!.sock.write(`${JSON.stringify({ return: { echo: 'late' }, id: held!.id })}\r\n`);
    await expect(c.execute('fast')).resolves.toEqual({ echo: 'fast' });
    await c.close();
    fake.close();
  });

  it('fails pending and queued commands on EOF', async () => {
    const fake = await fakeMonitor(() => undefined);
    const c = await QmpClient.connect(fake.path, { commandTimeoutMs: 0 });
    const p1 = rejection(c.execute('a'));
    const p2 = rejection(c.execute('b'));
    const closed = new Promise<{ eof: boolean }>((r) => c.once('close', r));
    await new Promise((r) => setTimeout(r, 50));
    fake.conns.forEach((s) => s.destroy());
    const [e1, e2] = await Promise.all([p1, p2]);
    for (const e of [e1, e2]) {
      expect(e.code).toBe(ErrorNumber.VIR_ERR_OPERATION_FAILED);
      expect(e.message).toBe('operation failed: End of file from qemu monitor');
    }
    expect((await closed).eof).toBe(true);
    fake.close();
  });
});
