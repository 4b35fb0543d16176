/**
 * Live migration between two virtkitd hosts on one machine: each daemon has its own root and
 * runs in its own network namespace, the two joined by a veth pair, serving libvirt's RPC on TCP.
 * A tiny guest counting on its serial console moves back and forth — peer-to-peer with virsh over
 * qemu+tcp, client-managed with virsh, libvirt-python and virtkit's Python module, through virtkit's own API — and keeps
 * counting; a move followed with domjobinfo and aborted, and a move whose destination QEMU is
 * killed, leave the source running and nothing on the destination; a slow move started with
 * --postcopy is switched to post-copy with migrate-postcopy and ends on the destination; a
 * tunnelled move carries the memory in the libvirt connection's stream. Compression methods
 * (mt, xbzrle) and PARALLEL (multifd) reach both QEMUs; their tuning without them is refused.
 * vsh migrate --verbose prints virsh's progress line, --timeout --timeout-postcopy switches a
 * slow move to post-copy.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainMigrateFlags as F, open, type Connect } from '@virtkit/core';
import { describeIf, PYTHON, tinyGuest, tinyGuestLines, waitFor } from '@virtkit/testkit';
import { on, startTwoHosts, stopHosts, virshIn, type Host } from './two-hosts';

const SUBNET = '10.231.77';

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'tiny-guest',
  'libvirt-python',
)('live migration between two virtkitd hosts', () => {
  let work: string;
  let consoleText = '';
  let consoleServer: net.Server;
  const hosts: Host[] = [];
  let A: Host;
  let B: Host;

  const ticks = () =>
    tinyGuestLines(consoleText)
      .map((l) => /^tick (\d+)$/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
  const lastTick = () => Math.max(-1, ...ticks());
  /** The guest keeps counting: a tick later than `after` arrives. */
  const countsOnAfter = (after: number) => waitFor(() => lastTick() > after + 1, 120_000, `the guest to count past ${after + 1}`);
  const state = (h: Host) => on(h, 'domstate', 'guest').out.trim();
  const qemuPid = (h: Host) => Number(fs.readFileSync(path.join(h.root, 'run', 'guest.pid'), 'utf8').trim());
  const monitor = (h: Host, cmd: string) => on(h, 'qemu-monitor-command', 'guest', JSON.stringify({ execute: cmd })).out;
  const capability = (h: Host, name: string) =>
    (JSON.parse(monitor(h, 'query-migrate-capabilities')) as { return: { capability: string; state: boolean }[] }).return.find(
      (c) => c.capability === name,
    )?.state;
  const parameter = (h: Host, name: string) =>
    (JSON.parse(monitor(h, 'query-migrate-parameters')) as { return: Record<string, unknown> }).return[name];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-'));
    hosts.push(...(await startTwoHosts(work, SUBNET)));
    [A, B] = hosts as [Host, Host];
    // Whichever QEMU runs the guest writes its serial console to this socket.
    const consolePath = path.join(work, 'console.sock');
    consoleServer = net.createServer((c) => c.on('data', (d) => (consoleText += String(d))));
    await new Promise<void>((r) => consoleServer.listen(consolePath, r));
    const { kernel, initrd } = tinyGuest();
    fs.writeFileSync(
      path.join(work, 'guest.xml'),
      `<domain type='qemu'><name>guest</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
        `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
        `<devices><serial type='unix'><source mode='connect' path='${consolePath}'/><target port='0'/></serial></devices></domain>\n`,
    );
  }, 60_000);

  afterAll(async () => {
    await stopHosts(hosts);
    consoleServer?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('virsh --p2p over qemu+tcp moves the running guest and its definition; it counts on', async () => {
    expect(on(A, 'define', path.join(work, 'guest.xml')).status).toBe(0);
    expect(on(A, 'start', 'guest').status).toBe(0);
    await waitFor(() => lastTick() >= 1, 240_000, 'the guest to boot and count');
    const before = lastTick();
    // Compression methods and their tuning reach both QEMUs (the destination keeps them after the move).
    const r = on(
      A,
      'migrate',
      '--live',
      '--p2p',
      '--persistent',
      '--undefinesource',
      '--comp-methods',
      'mt,xbzrle',
      '--comp-mt-level',
      '3',
      'guest',
      B.tcp,
    );
    expect({ out: r.out.trim(), status: r.status }).toEqual({ out: '', status: 0 });
    expect(state(B)).toBe('running');
    // After the move the destination's QEMU is back to its own settings (qemuMigrationParamsReset).
    expect(capability(B, 'compress')).toBe(false);
    expect(capability(B, 'xbzrle')).toBe(false);
    expect(parameter(B, 'compress-level')).toBe(1);
    expect(on(B, 'dominfo', 'guest').out).toMatch(/Persistent:\s+yes/);
    expect(on(A, 'list', '--all', '--name').out.trim()).toBe('');
    await countsOnAfter(before);
    const done = on(A, 'list', '--all').out;
    expect(done).not.toMatch(/guest/);
  }, 400_000);

  test('virsh without --p2p (the client runs the five steps) moves it back; the destination keeps it stopped and defined', async () => {
    const before = lastTick();
    // PARALLEL: QEMU's multifd on both sides, with the connections asked for.
    const r = virshIn(A, '-c', B.tcp, 'migrate', '--live', '--parallel', '--parallel-connections', '3', 'guest', A.tcp);
    expect({ out: r.out.trim(), status: r.status }).toEqual({ out: '', status: 0 });
    expect(state(A)).toBe('running');
    expect(capability(A, 'multifd')).toBe(false);
    expect(parameter(A, 'multifd-channels')).toBe(2);
    expect(state(B)).toBe('shut off');
    const job = on(A, 'domjobinfo', 'guest', '--completed').out;
    expect(job).toMatch(/Job type:\s+Completed/);
    expect(job).toMatch(/Operation:\s+Incoming migration/);
    await countsOnAfter(before);
  }, 300_000);

  test("virtkit's own API: Domain.migrate between two connections, then migrateToURI3 peer-to-peer", async () => {
    const a: Connect = await open(A.unix);
    const b: Connect = await open(B.unix);
    try {
      let before = lastTick();
      const moved = await (await a.lookupByName('guest')).migrate(b, null, null, 0, F.VIR_MIGRATE_LIVE);
      expect(moved.getName()).toBe('guest');
      expect((await moved.getState()).state).toBe(1);
      await countsOnAfter(before);
      before = lastTick();
      await moved.migrateToURI3(A.tcp, {}, F.VIR_MIGRATE_LIVE | F.VIR_MIGRATE_PEER2PEER);
      expect(state(A)).toBe('running');
      const stats = await (await a.lookupByName('guest')).getJobStats(1);
      expect(stats.type).toBe(3);
      await countsOnAfter(before);
    } finally {
      await a.close();
      await b.close();
    }
  }, 300_000);

  /** Python lines: moves of domain `d` to `uri` whose list-valued parameters are refused, printing the errors. */
  const refusedLists = (d: string, uri: string): string[] =>
    [
      "{libvirt.VIR_MIGRATE_PARAM_COMPRESSION: ['mt', 'zstd']}",
      "{libvirt.VIR_MIGRATE_PARAM_COMPRESSION: ['xbzrle', 'xbzrle']}",
      "{libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS: ['vdb', 'vdc']}",
    ].flatMap((params) => [
      'try:',
      `    ${d}.migrateToURI3(${JSON.stringify(uri)}, ${params}, libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER | libvirt.VIR_MIGRATE_NON_SHARED_DISK)`,
      'except libvirt.libvirtError as e:',
      '    print(e.get_error_code(), e.get_error_domain(), e.get_error_message())',
    ]);
  /** What libvirt answers to them: each list arrived whole (the second method, the repeat, the first disk). */
  const LIST_REFUSALS = [
    "8 10 invalid argument: Unsupported compression method 'zstd'",
    "8 10 invalid argument: Compression method 'xbzrle' is specified twice",
    '8 10 invalid argument: disk target vdb not found',
  ];

  test('libvirt-python migrates client-managed (virDomainMigrate with two connections)', async () => {
    const before = lastTick();
    const py = [
      'import libvirt, sys',
      `a = libvirt.open(${JSON.stringify(A.unix)})`,
      `b = libvirt.open(${JSON.stringify(B.unix)})`,
      "d = a.lookupByName('guest').migrate(b, libvirt.VIR_MIGRATE_LIVE, None, None, 0)",
      'print(d.name(), d.state()[0])',
      ...refusedLists('d', A.tcp),
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8', timeout: 120_000 });
    // libvirt's default error handler prints each refusal on stderr too.
    expect(r.stderr.trim().split('\n')).toEqual(LIST_REFUSALS.map((l) => `libvirt: QEMU Driver error : ${l.replace(/^\d+ \d+ /, '')}`));
    expect(r.stdout.trim().split('\n')).toEqual(['guest 1', ...LIST_REFUSALS]);
    await countsOnAfter(before);
  }, 300_000);

  test("virtkit's Python module, as libvirt: migrate between two connections, then migrateToURI3 peer-to-peer", async () => {
    const before = lastTick();
    const bindings = path.join(__dirname, '..', '..', 'packages', 'bindings-python');
    const py = [
      'import libvirt',
      `a = libvirt.open(${JSON.stringify(A.unix)})`,
      `b = libvirt.open(${JSON.stringify(B.unix)})`,
      "d = b.lookupByName('guest').migrate(a, libvirt.VIR_MIGRATE_LIVE, None, None, 0)",
      'print(type(d).__module__, d.name(), d.state()[0], b.lookupByName("guest").state()[0])',
      'try:',
      "    d.migrateToURI3('qemu+tcp://nowhere/system', {}, libvirt.VIR_MIGRATE_LIVE)",
      'except libvirt.libvirtError as e:',
      '    print(e.get_error_code(), e.get_error_domain(), e.get_error_message())',
      // List values travel as the key repeated (libvirt-python's virPyDictToTypedParams).
      ...refusedLists('d', B.tcp),
      `print(d.migrateToURI3(${JSON.stringify(B.tcp)}, {libvirt.VIR_MIGRATE_PARAM_BANDWIDTH: 1000}, libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER))`,
    ].join('\n');
    const env = { ...process.env, PYTHONPATH: [path.join(bindings, 'compat'), bindings].join(path.delimiter) };
    const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8', timeout: 240_000, env });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      'virtkit._generated guest 1 5',
      '74 20 argument unsupported: direct migration is not supported by the source host',
      ...LIST_REFUSALS,
      '0',
    ]);
    expect(state(B)).toBe('running');
    await countsOnAfter(before);
  }, 300_000);

  /** Start a slow migration B → A in the background (1 MiB/s), resolving with virsh's result. */
  function slowMove(...extra: string[]): Promise<{ out: string; status: number | null }> {
    expect(on(B, 'migrate-setspeed', 'guest', '1').status).toBe(0);
    const argv = B.ns.exec(['virsh', '-c', B.tcp, 'migrate', '--live', '--p2p', ...extra, 'guest', A.tcp]);
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    return new Promise((resolve) => child.on('exit', (status) => resolve({ out, status })));
  }

  test("compression and parallel tuning without the method or flag is refused with libvirt's messages; nothing moves", () => {
    const [from, to] = state(A) === 'running' ? [A, B] : [B, A];
    const refused = (...args: string[]) => on(from, 'migrate', '--live', '--p2p', ...args, 'guest', to.tcp).out.trim();
    expect(refused('--comp-methods', 'zstd')).toBe("error: invalid argument: Unsupported compression method 'zstd'");
    expect(refused('--comp-methods', 'xbzrle,xbzrle')).toBe("error: invalid argument: Compression method 'xbzrle' is specified twice");
    expect(refused('--comp-methods', 'xbzrle', '--comp-mt-threads', '2')).toBe(
      'error: invalid argument: Turn multithread compression on to tune it',
    );
    expect(refused('--comp-xbzrle-cache', '1048576')).toBe('error: invalid argument: Turn xbzrle compression on to tune it');
    expect(refused('--parallel-connections', '2')).toBe('error: invalid argument: Turn parallel migration on to tune it');
    expect(refused('--auto-converge-initial', '30')).toBe('error: invalid argument: Turn auto convergence on to tune it');
    expect(state(from)).toBe('running');
    expect(on(to, 'list', '--all', '--name').out.trim()).toBe('');
  });

  test('domjobinfo shows the move in progress; domjobabort cancels it, the source runs on, the destination keeps nothing', async () => {
    const before = lastTick();
    const moving = slowMove('--parallel', '--parallel-connections', '3', '--comp-methods', 'xbzrle');
    let progress = '';
    await waitFor(
      () => {
        progress = on(B, 'domjobinfo', 'guest').out;
        return /Job type:\s+Unbounded/.test(progress) && /Data processed:\s+[1-9]/.test(progress);
      },
      60_000,
      'domjobinfo to show a running migration',
    );
    expect(progress).toMatch(/Operation:\s+Outgoing migration/);
    // While it moves both QEMUs have what the move asked for.
    expect([capability(B, 'multifd'), capability(B, 'xbzrle'), parameter(B, 'multifd-channels')]).toEqual([true, true, 3]);
    expect([capability(A, 'multifd'), capability(A, 'xbzrle'), parameter(A, 'multifd-channels')]).toEqual([true, true, 3]);
    expect(progress).toMatch(/Memory remaining:/);
    expect(on(B, 'migrate-postcopy', 'guest').out).toMatch(
      /Requested operation is not valid: switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag/,
    );
    expect(on(B, 'domjobabort', 'guest').status).toBe(0);
    const r = await moving;
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/operation aborted: migration out job: canceled by client/);
    expect(state(B)).toBe('running');
    // The source runs on with its QEMU's own migration settings again (qemuMigrationParamsReset).
    expect([capability(B, 'multifd'), capability(B, 'xbzrle'), parameter(B, 'multifd-channels')]).toEqual([false, false, 2]);
    await waitFor(() => on(A, 'list', '--all', '--name').out.trim() === '', 30_000, 'the destination to drop the guest');
    await countsOnAfter(before);
    expect(on(B, 'migrate-setspeed', 'guest', '100000').status).toBe(0);
  }, 300_000);

  test('a destination QEMU killed during the move leaves the source running and nothing on the destination', async () => {
    const before = lastTick();
    const moving = slowMove();
    await waitFor(() => fs.existsSync(path.join(A.root, 'run', 'guest.pid')), 60_000, 'the destination QEMU to start');
    await waitFor(() => /Data processed:\s+[1-9]/.test(on(B, 'domjobinfo', 'guest').out), 60_000, 'data to flow');
    process.kill(qemuPid(A), 'SIGKILL');
    const r = await moving;
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/error: /);
    expect(state(B)).toBe('running');
    await waitFor(() => on(A, 'list', '--all', '--name').out.trim() === '', 30_000, 'the destination to drop the guest');
    await countsOnAfter(before);
  }, 300_000);

  test('post-copy: a slow move started with --postcopy switches on migrate-postcopy and ends; the guest counts on at the destination', async () => {
    expect(on(B, 'migrate-postcopy', 'guest').out).toMatch(/post-copy can only be started while outgoing migration is in progress/);
    const before = lastTick();
    const moving = slowMove('--postcopy');
    await waitFor(() => /Data processed:\s+[1-9]/.test(on(B, 'domjobinfo', 'guest').out), 60_000, 'data to flow');
    const switched = on(B, 'migrate-postcopy', 'guest');
    expect({ out: switched.out.trim(), status: switched.status }).toEqual({ out: '', status: 0 });
    const r = await moving;
    expect({ out: r.out.trim(), status: r.status }).toEqual({ out: '', status: 0 });
    expect(state(A)).toBe('running');
    expect(on(B, 'list', '--name').out.trim()).toBe('');
    await countsOnAfter(before);
  }, 300_000);

  test('vsh migrate --verbose --timeout 1 --timeout-postcopy: the progress line on stderr as virsh prints it, post-copy once the timeout passed', async () => {
    const before = lastTick();
    const [from, to] = state(A) === 'running' ? [A, B] : [B, A];
    // At 1 MiB/s only the switch to post-copy (unlimited) lets the move end within the time allowed.
    expect(on(from, 'migrate-setspeed', 'guest', '1').status).toBe(0);
    const vsh = path.join(__dirname, '..', '..', 'bin', 'vsh');
    const argv = from.ns.exec([
      vsh,
      '-c',
      from.tcp,
      'migrate',
      '--live',
      '--p2p',
      '--postcopy',
      '--timeout',
      '1',
      '--timeout-postcopy',
      '--verbose',
      'guest',
      to.tcp,
    ]);
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 90_000 });
    expect({ stdout: r.stdout.trim(), status: r.status, error: r.status ? r.stderr : '' }).toEqual({ stdout: '', status: 0, error: '' });
    // A poll that finds nothing left to send prints [100 %] before the end, as virshPrintJobProgress does.
    expect(r.stderr).toMatch(/^(\rMigration: \[ {0,2}\d{1,3} %\])+\rMigration: \[100 %\]$/);
    expect(state(to)).toBe('running');
    await countsOnAfter(before);
    // virsh's own line, for the oracle: the same carriage-return form ending in [100 %].
    expect(on(to, 'migrate-setspeed', 'guest', '100000').status).toBe(0);
    const back = virshIn(to, '-c', to.tcp, 'migrate', '--live', '--p2p', '--verbose', 'guest', from.tcp);
    expect(back.status).toBe(0);
    expect(back.out).toMatch(/\rMigration: \[100 %\]\s*$/);
    expect(state(from)).toBe('running');
    expect(on(from, 'migrate-setspeed', 'guest', '100000').status).toBe(0);
  }, 300_000);

  test('virsh --p2p --tunnelled: the memory travels in the libvirt connection (PREPARE_TUNNEL3_PARAMS stream); the guest counts on', async () => {
    const before = lastTick();
    const [from, to] = state(A) === 'running' ? [A, B] : [B, A];
    const r = on(from, 'migrate', '--live', '--p2p', '--tunnelled', 'guest', to.tcp);
    expect({ out: r.out.trim(), status: r.status }).toEqual({ out: '', status: 0 });
    expect(state(to)).toBe('running');
    expect(on(from, 'list', '--name').out.trim()).toBe('');
    await countsOnAfter(before);
  }, 300_000);
});
