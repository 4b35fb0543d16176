/**
 * One client's calls run concurrently in virtkitd, as in libvirtd (max_client_requests in flight,
 * replies matched by serial), with real clients:
 * - real virsh `migrate --live --p2p --verbose --timeout 1 --timeout-suspend` through virtkitd:
 *   virsh's watcher thread asks GetJobInfo on the connection that runs the move and prints the
 *   progress while the guest moves, and its timeout action suspends the guest mid-move;
 * - real libvirt-python threads on one connection: `getVersion` is answered while a monitor
 *   command to a stopped QEMU hangs;
 * - a client with max_client_requests calls hanging gets its next call held (the daemon stops
 *   reading it) while another client is served at once.
 * The daemons run with max_client_requests = 3: enough for virsh's two threads.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROGRAM } from '@virtkit/protocol';
import { describeIf, PYTHON, RawClient, remoteProcedure, tinyGuest, waitFor } from '@virtkit/testkit';
import { on, startTwoHosts, stopHosts, type Host } from '../migration/two-hosts';

const SUBNET = '10.231.81';
const MAX_CLIENT_REQUESTS = 3;

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'tiny-guest',
  'libvirt-python',
)('concurrent calls of one client', () => {
  let work: string;
  const hosts: Host[] = [];
  let A: Host;
  let B: Host;
  const state = (h: Host) => on(h, 'domstate', 'guest').out.trim();
  const qemuPid = (h: Host) => Number(fs.readFileSync(path.join(h.root, 'run', 'guest.pid'), 'utf8').trim());

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'concurrent-calls-'));
    hosts.push(...(await startTwoHosts(work, SUBNET, undefined, `max_client_requests = ${MAX_CLIENT_REQUESTS}\n`)));
    [A, B] = hosts as [Host, Host];
    const { kernel, initrd } = tinyGuest();
    const xml = path.join(work, 'guest.xml');
    fs.writeFileSync(
      xml,
      `<domain type='qemu'><name>guest</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
        `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
        `<devices/></domain>\n`,
    );
    expect(on(A, 'define', xml).status).toBe(0);
    expect(on(A, 'start', 'guest').status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    for (const h of hosts) {
      // A test that failed half-way may leave its QEMU stopped.
      if (fs.existsSync(path.join(h.root, 'run', 'guest.pid'))) process.kill(qemuPid(h), 'SIGCONT');
    }
    await stopHosts(hosts);
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('virsh migrate --verbose --timeout 1 --timeout-suspend: progress while the guest moves, the guest suspended mid-move', async () => {
    // At 1 MiB/s the move lasts minutes: it is sped up once the suspension was seen.
    expect(on(A, 'migrate-setspeed', 'guest', '1').status).toBe(0);
    const argv = A.ns.exec([
      'virsh',
      '-c',
      A.tcp,
      'migrate',
      '--live',
      '--p2p',
      '--verbose',
      '--timeout',
      '1',
      '--timeout-suspend',
      'guest',
      B.tcp,
    ]);
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // virsh's own progress line, with a figure below 100 %, while the move runs.
    await waitFor(() => /\rMigration: \[ {0,2}\d{1,2} %\]/.test(stderr), 60_000, 'virsh to print progress during the move');
    // Its timeout action, on the same connection as the move: the source is paused while moving.
    await waitFor(() => state(A) === 'paused', 30_000, 'virsh to suspend the guest after its timeout');
    expect(child.exitCode).toBeNull();
    expect(on(A, 'migrate-setspeed', 'guest', '100000').status).toBe(0);
    const status = await exited;
    expect({ stdout: stdout.trim(), status }).toEqual({ stdout: '', status: 0 });
    expect(stderr).toMatch(/^(\rMigration: \[ {0,2}\d{1,2} %\])+\rMigration: \[100 %\]$/);
    expect(on(A, 'list', '--all', '--name').out.trim()).toBe('guest');
    expect(on(B, 'list', '--name').out.trim()).toBe('guest');
    // Bring it back running on A for the next tests.
    if (state(B) === 'paused') expect(on(B, 'resume', 'guest').status).toBe(0);
    expect(on(B, 'migrate', '--live', '--p2p', 'guest', A.tcp).status).toBe(0);
    expect(state(A)).toBe('running');
  }, 300_000);

  test('libvirt-python threads on one connection: getVersion is answered while a monitor command to a stopped QEMU hangs', () => {
    const py = `
import json, os, signal, sys, threading, time
import libvirt, libvirt_qemu
conn = libvirt.open(sys.argv[1])
dom = conn.lookupByName('guest')
slow = {}
def monitor():
    t = time.monotonic()
    slow['reply'] = json.loads(libvirt_qemu.qemuMonitorCommand(dom, '{"execute":"query-status"}', 0))['return']['status']
    slow['secs'] = time.monotonic() - t
th = threading.Thread(target=monitor)
th.start()
time.sleep(0.5)
fast = []
for _ in range(3):
    t = time.monotonic()
    v = conn.getVersion()
    fast.append([v > 0, time.monotonic() - t, th.is_alive()])
os.kill(int(sys.argv[2]), signal.SIGCONT)
th.join(60)
print(json.dumps({'fast': fast, 'slow': slow}))
`;
    const pid = qemuPid(A);
    process.kill(pid, 'SIGSTOP');
    const r = spawnSync(PYTHON, ['-c', py, A.unix, String(pid)], { encoding: 'utf8', timeout: 120_000 });
    process.kill(pid, 'SIGCONT');
    if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
    const out = JSON.parse(r.stdout.trim()) as { fast: [boolean, number, boolean][]; slow: { reply: string; secs: number } };
    for (const [ok, secs, slowStillRunning] of out.fast) {
      expect(ok).toBe(true);
      expect(slowStillRunning).toBe(true);
      expect(secs).toBeLessThan(2);
    }
    // The slow call was answered too, once QEMU ran again, on the same connection.
    expect(out.slow.reply).toBe('running');
    expect(out.slow.secs).toBeGreaterThan(0.5);
  }, 180_000);

  test(`a client with ${MAX_CLIENT_REQUESTS} calls hanging has its next one held; another client is served at once`, async () => {
    const open = remoteProcedure('connectOpen');
    const lookup = remoteProcedure('domainLookupByName');
    const version = remoteProcedure('connectGetVersion');
    const monitor = {
      num: 1,
      args: [
        ['dom', 'Dom'],
        ['cmd', 'string'],
        ['flags', 'uint'],
      ] as const,
      ret: [['result', 'string']] as const,
    };
    const clients = [new RawClient(A.daemon.sock), new RawClient(A.daemon.sock)];
    const [flooder, bystander] = clients as [RawClient, RawClient];
    await Promise.all(clients.map((c) => c.connected()));
    for (const c of clients) expect((await c.call(open.num, open.args, { name: 'qemu:///system', flags: 0 })).err).toBeUndefined();
    const dom = (await flooder.call(lookup.num, lookup.args, { name: 'guest' }, lookup.ret)).ok!.dom;
    const pid = qemuPid(A);
    process.kill(pid, 'SIGSTOP');
    try {
      const hang = () =>
        flooder.call(monitor.num, [...monitor.args], { dom, cmd: '{"execute":"query-status"}', flags: 0 }, [...monitor.ret], {
          prog: PROGRAM.QEMU,
          timeoutMs: 60_000,
        });
      const hanging = [hang()];
      // Below the limit a fast call of the same client overtakes the hanging one: answered by serial.
      const overtaking = await flooder.call(version.num, version.args, {}, version.ret, { timeoutMs: 2000 });
      expect(overtaking.ok?.hv_ver).toBeGreaterThan(0);
      // At the limit, the next call waits.
      while (hanging.length < MAX_CLIENT_REQUESTS) hanging.push(hang());
      let heldAnswered = false;
      const held = flooder.call(version.num, version.args, {}, version.ret, { timeoutMs: 60_000 }).then((r) => {
        heldAnswered = true;
        return r;
      });
      const t0 = Date.now();
      expect((await bystander.call(version.num, version.args, {}, version.ret)).ok?.hv_ver).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(heldAnswered).toBe(false);
      process.kill(pid, 'SIGCONT');
      expect((await held).ok?.hv_ver).toBeGreaterThan(0);
      for (const r of await Promise.all(hanging)) expect(JSON.parse(String(r.ok?.result)).return.status).toBe('running');
    } finally {
      process.kill(pid, 'SIGCONT');
      for (const c of clients) c.close();
    }
  }, 120_000);
});
