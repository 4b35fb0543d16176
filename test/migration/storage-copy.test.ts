/**
 * Live migration without shared storage (VIR_MIGRATE_NON_SHARED_DISK) between two virtkitd
 * hosts: each host sees its own directory at the disk's path, so the guest's disk must travel
 * through the destination QEMU's NBD server. The tiny guest with a virtio disk full of random
 * data moves peer-to-peer with virsh (the destination pre-creates the image in its pool), back
 * client-managed with vsh, and again with libvirt-python; it keeps counting and the destination's
 * image holds the data. A destination killed in the middle of the disk copy, and a copy aborted
 * with domjobabort, leave the source running without block jobs or migration nodes, and nothing
 * on the destination. A client that dies between its steps (change-protected begin on the source,
 * prepare on the destination) takes the move with it: the destination's QEMU and the image it
 * created go, the source's migration job ends.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, PYTHON, tinyGuest, tinyGuestLines, waitFor } from '@virtkit/testkit';
import { on, startTwoHosts, stopHosts, type Host } from './two-hosts';

const SUBNET = '10.231.78';
const ROOT = path.resolve(__dirname, '..', '..');
const DISK_MIB = 24;

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'tiny-guest',
  'libvirt-python',
)('live migration with storage copy (NBD)', () => {
  let work: string;
  let disks: string;
  let consoleText = '';
  let consoleServer: net.Server;
  const hosts: Host[] = [];
  let A: Host;
  let B: Host;
  let dataHash: string;

  const lastTick = () =>
    Math.max(
      -1,
      ...tinyGuestLines(consoleText)
        .map((l) => /^tick (\d+)$/.exec(l)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number),
    );
  const countsOnAfter = (after: number) => waitFor(() => lastTick() > after + 1, 120_000, `the guest to count past ${after + 1}`);
  const state = (h: Host) => on(h, 'domstate', 'guest').out.trim();
  const imageOf = (h: Host) => path.join(h.disks!, 'disk.raw');
  const hashOf = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const qemuPid = (h: Host) => Number(fs.readFileSync(path.join(h.root, 'run', 'guest.pid'), 'utf8').trim());
  const monitor = (h: Host, cmd: string) => on(h, 'qemu-monitor-command', 'guest', JSON.stringify({ execute: cmd })).out;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-nbd-'));
    disks = path.join(work, 'disks');
    hosts.push(...(await startTwoHosts(work, SUBNET, disks)));
    [A, B] = hosts as [Host, Host];
    for (const h of hosts) {
      expect(on(h, 'pool-define-as', 'disks', 'dir', '--target', disks).status).toBe(0);
      expect(on(h, 'pool-start', 'disks').status).toBe(0);
    }
    const data = Buffer.alloc(DISK_MIB * 1024 * 1024);
    for (let off = 0; off < data.length; off += 65536) createHash('sha512').update(String(off)).digest().copy(data, off);
    fs.writeFileSync(imageOf(A), data);
    dataHash = hashOf(imageOf(A));
    const consolePath = path.join(work, 'console.sock');
    consoleServer = net.createServer((c) => c.on('data', (d) => (consoleText += String(d))));
    await new Promise<void>((r) => consoleServer.listen(consolePath, r));
    const { kernel, initrd } = tinyGuest();
    fs.writeFileSync(
      path.join(work, 'guest.xml'),
      `<domain type='qemu'><name>guest</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
        `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
        `<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${path.join(disks, 'disk.raw')}'/>` +
        `<target dev='vda' bus='virtio'/></disk>` +
        `<serial type='unix'><source mode='connect' path='${consolePath}'/><target port='0'/></serial></devices></domain>\n`,
    );
  }, 120_000);

  afterAll(async () => {
    await stopHosts(hosts);
    consoleServer?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('virsh --p2p --copy-storage-all: the destination creates the image in its pool, receives the data, the guest counts on', async () => {
    expect(on(A, 'define', path.join(work, 'guest.xml')).status).toBe(0);
    expect(on(A, 'start', 'guest').status).toBe(0);
    await waitFor(() => lastTick() >= 1, 240_000, 'the guest to boot and count');
    expect(fs.existsSync(imageOf(B))).toBe(false);
    const before = lastTick();
    const r = on(A, 'migrate', '--live', '--p2p', '--copy-storage-all', '--persistent', '--undefinesource', 'guest', B.tcp);
    expect({ out: r.out.trim(), status: r.status }).toEqual({ out: '', status: 0 });
    expect(state(B)).toBe('running');
    expect(on(A, 'list', '--all', '--name').out.trim()).toBe('');
    await countsOnAfter(before);
    expect(hashOf(imageOf(B))).toBe(dataHash);
    expect(on(B, 'vol-list', 'disks').out).toMatch(/disk\.raw/);
    // The destination's NBD server is gone with the move.
    expect(monitor(B, 'query-block-exports')).toMatch(/"return":\s*\[\]/);
  }, 400_000);

  test('a destination killed during the disk copy: the source runs on without mirrors, the destination keeps nothing', async () => {
    // The guest left A with --undefinesource: A starts without the image, which prepare creates.
    fs.rmSync(imageOf(A));
    const before = lastTick();
    expect(on(B, 'migrate-setspeed', 'guest', '1').status).toBe(0);
    const argv = B.ns.exec(['virsh', '-c', B.tcp, 'migrate', '--live', '--p2p', '--copy-storage-all', 'guest', A.tcp]);
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // domjobinfo during the mirror phase: the disk's bytes are the job's data so far.
    let progress = '';
    await waitFor(() => /Data processed:\s+[1-9]/.test((progress = on(B, 'domjobinfo', 'guest').out)), 120_000, 'the disk mirror to copy');
    expect(progress).toMatch(/Operation:\s+Outgoing migration/);
    expect(fs.existsSync(imageOf(A))).toBe(true);
    process.kill(qemuPid(A), 'SIGKILL');
    expect(await exited).toBe(1);
    expect(out).toMatch(/error: /);
    expect(state(B)).toBe('running');
    await waitFor(() => on(A, 'list', '--all', '--name').out.trim() === '', 30_000, 'the destination to drop the guest');
    await waitFor(() => !fs.existsSync(imageOf(A)), 30_000, 'the image the destination created to go');
    expect(monitor(B, 'query-block-jobs')).toMatch(/"return":\s*\[\]/);
    expect(monitor(B, 'query-named-block-nodes')).not.toMatch(/migration-vda/);
    expect(hashOf(imageOf(B))).toBe(dataHash);
    await countsOnAfter(before);
    expect(on(B, 'migrate-setspeed', 'guest', '100000').status).toBe(0);
  }, 400_000);

  test('domjobabort during the disk copy cancels the mirrors: the source runs on, the destination keeps nothing', async () => {
    const before = lastTick();
    expect(on(B, 'migrate-setspeed', 'guest', '1').status).toBe(0);
    const argv = B.ns.exec(['virsh', '-c', B.tcp, 'migrate', '--live', '--p2p', '--copy-storage-all', 'guest', A.tcp]);
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => /Data processed:\s+[1-9]/.test(on(B, 'domjobinfo', 'guest').out), 120_000, 'the disk mirror to copy');
    expect(on(B, 'domjobabort', 'guest').status).toBe(0);
    expect(await exited).toBe(1);
    expect(out).toMatch(/operation aborted: migration out job: canceled by client/);
    expect(state(B)).toBe('running');
    await waitFor(() => on(A, 'list', '--all', '--name').out.trim() === '', 30_000, 'the destination to drop the guest');
    await waitFor(() => !fs.existsSync(imageOf(A)), 30_000, 'the image the destination created to go');
    expect(monitor(B, 'query-block-jobs')).toMatch(/"return":\s*\[\]/);
    expect(monitor(B, 'query-named-block-nodes')).not.toMatch(/migration-vda/);
    await countsOnAfter(before);
    expect(on(B, 'migrate-setspeed', 'guest', '100000').status).toBe(0);
  }, 400_000);

  test('--copy-storage-inc without an image on the destination is refused, so are unknown --migrate-disks and --disks-port with --disks-uri; vsh migrate --copy-storage-all --copy-storage-synchronous-writes --migrate-disks --disks-uri unix:// without --p2p (vsh runs the steps) moves it back', async () => {
    // NON_SHARED_INC copies the top image onto one that exists: A has none, which libvirt refuses to create.
    const inc = on(B, 'migrate', '--live', '--p2p', '--copy-storage-inc', 'guest', A.tcp);
    expect(inc.status).toBe(1);
    expect(inc.out).toMatch(
      /Operation not supported: pre-creation of storage target '.*disk\.raw' for incremental storage migration of disk 'vda' is not supported/,
    );
    expect(state(B)).toBe('running');
    expect(on(A, 'list', '--all', '--name').out.trim()).toBe('');
    // migrate_disks names only known targets; disks_port and disks_uri exclude each other (libvirt's messages).
    const unknown = on(B, 'migrate', '--live', '--p2p', '--copy-storage-all', '--migrate-disks', 'vda,vdz', 'guest', A.tcp);
    expect(unknown.out).toMatch(/error: invalid argument: disk target vdz not found/);
    const both = on(
      B,
      'migrate',
      '--live',
      '--p2p',
      '--copy-storage-all',
      '--disks-port',
      '49300',
      '--disks-uri',
      'tcp://x',
      'guest',
      A.tcp,
    );
    expect(both.out).toMatch(/error: invalid argument: Both port and URI requested for disk migration while being mutually exclusive/);
    expect(on(A, 'list', '--all', '--name').out.trim()).toBe('');
    const before = lastTick();
    // The copy goes over the UNIX socket disks_uri names: both sides must honour it for the move to work.
    const nbdSocket = path.join(work, 'nbd.sock');
    const argv = A.ns.exec([
      path.join(ROOT, 'bin', 'vsh'),
      '-c',
      B.tcp,
      'migrate',
      '--live',
      '--copy-storage-all',
      '--copy-storage-synchronous-writes',
      '--migrate-disks',
      'vda',
      '--disks-uri',
      `unix://${nbdSocket}`,
      'guest',
      A.tcp,
    ]);
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 300_000 });
    expect({ out: `${r.stdout}${r.stderr}`.trim(), status: r.status }).toEqual({ out: '', status: 0 });
    expect(state(A)).toBe('running');
    expect(state(B)).toBe('shut off');
    await countsOnAfter(before);
    expect(hashOf(imageOf(A))).toBe(dataHash);
  }, 400_000);

  test('libvirt-python migrates client-managed with VIR_MIGRATE_NON_SHARED_DISK', async () => {
    const before = lastTick();
    const py = [
      'import libvirt',
      `a = libvirt.open(${JSON.stringify(A.unix)})`,
      `b = libvirt.open(${JSON.stringify(B.unix)})`,
      "d = a.lookupByName('guest').migrate(b, libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_NON_SHARED_DISK, None, None, 0)",
      'print(d.name(), d.state()[0])',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8', timeout: 300_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('guest 1');
    await countsOnAfter(before);
    expect(hashOf(imageOf(B))).toBe(dataHash);
  }, 400_000);

  test('a client killed between prepare and finish: the destination drops the guest, its QEMU and the image it created; the source job ends', async () => {
    // A's image is the one the guest left behind: without it, prepare creates one.
    fs.rmSync(imageOf(A));
    expect(on(A, 'pool-refresh', 'disks').status).toBe(0);
    const script = [
      "const { open, migrateParams, DomainMigrateFlags: F } = require('@virtkit/core');",
      '(async () => {',
      `  const a = await open(${JSON.stringify(A.unix)});`,
      `  const b = await open(${JSON.stringify(B.unix)});`,
      '  const flags = F.VIR_MIGRATE_LIVE | F.VIR_MIGRATE_NON_SHARED_DISK | F.VIR_MIGRATE_CHANGE_PROTECTION;',
      "  const begun = await (await b.lookupByName('guest')).migrateBegin3Params({}, flags);",
      '  await a.migratePrepare3Params(migrateParams({ destination_xml: begun.xml }), begun.cookieOut, flags);',
      "  console.log('prepared');",
      '  setInterval(() => undefined, 1000);',
      '})();',
    ].join('\n');
    const client = spawn(process.execPath, ['-e', script], { cwd: ROOT });
    let out = '';
    client.stdout.on('data', (d) => (out += String(d)));
    client.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise((resolve) => client.on('exit', resolve));
    try {
      await waitFor(() => out.includes('prepared') || client.exitCode !== null, 60_000, 'the client to prepare');
      expect(out.trim()).toBe('prepared');
      const incoming = qemuPid(A);
      expect(on(A, 'domstate', 'guest').out.trim()).toBe('paused');
      expect(fs.existsSync(imageOf(A))).toBe(true);
      // The begin holds the source's migration job: a second move is refused as libvirt does.
      expect(on(B, 'domjobinfo', 'guest').out).toMatch(/Operation:\s+Outgoing migration/);
      expect(on(B, 'migrate', '--live', '--p2p', 'guest', A.tcp).out).toMatch(
        /Requested operation is not valid: another migration job is already running for domain 'guest'/,
      );
      client.kill('SIGKILL');
      await exited;
      await waitFor(() => on(A, 'list', '--all', '--name').out.trim() === '', 30_000, 'the destination to drop the guest');
      expect(() => process.kill(incoming, 0)).toThrow();
      expect(fs.existsSync(imageOf(A))).toBe(false);
      await waitFor(() => /Job type:\s+None/.test(on(B, 'domjobinfo', 'guest').out), 30_000, "the source's job to end");
      expect(state(B)).toBe('running');
    } finally {
      client.kill('SIGKILL');
    }
  }, 120_000);
});
