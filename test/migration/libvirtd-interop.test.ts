/**
 * Migration between a libvirtd 9.0 host and a virtkitd host (same QEMU): libvirtd's cookie and
 * definition reach virtkitd and virtkitd's reach libvirtd, peer-to-peer (the source's daemon opens
 * the other) and client-managed (virsh runs the steps), and the guest runs on after each move.
 * libvirtd runs privileged in its own mount namespace (its state directories bind-mounted from a
 * temp dir) inside its own network namespace; `host_uuid` makes it another host.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  killLeftoverQemu,
  makeNetNs,
  startDaemon,
  testUnless,
  tinyGuest,
  type NetNs,
  type RunningDaemon,
} from '@virtkit/testkit';

const SUBNET = '10.231.79';
const MOUNTS: Array<[string, string]> = [
  ['etc', '/etc/libvirt'],
  ['lib', '/var/lib/libvirt'],
  ['cache', '/var/cache/libvirt'],
  ['log', '/var/log/libvirt'],
  ['run', '/run/libvirt'],
];
const hasMountPoints = MOUNTS.every(([, t]) => fs.existsSync(t));

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'libvirtd',
  'tiny-guest',
  'root',
)('migration between libvirtd 9.0 and virtkitd', () => {
  let work: string;
  let nsL: NetNs;
  let nsV: NetNs;
  let virtkitd: RunningDaemon;
  const lvUri = `qemu+tcp://${SUBNET}.1/system`;
  const vkUri = `qemu+tcp://${SUBNET}.2/system`;
  const virsh = (ns: NetNs, ...args: string[]) => {
    const argv = ns.exec(['virsh', ...args]);
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    return { out: `${r.stdout}${r.stderr}`.trim(), status: r.status };
  };
  const status = (uri: string) => virsh(nsL, '-c', uri, 'qemu-monitor-command', 'guest', '--hmp', 'info status').out;
  const pidOf = (f: string) => Number(fs.readFileSync(path.join(work, 'lv', f), 'utf8').trim());

  beforeAll(async () => {
    if (!hasMountPoints) return;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-interop-'));
    nsL = makeNetNs('miglv');
    nsV = makeNetNs('migvk');
    nsL.run('ip', 'link', 'add', 'mi0', 'type', 'veth', 'peer', 'name', 'mi1', 'netns', nsV.name);
    nsL.run('ip', 'addr', 'add', `${SUBNET}.1/24`, 'dev', 'mi0');
    nsV.run('ip', 'addr', 'add', `${SUBNET}.2/24`, 'dev', 'mi1');
    nsL.run('ip', 'link', 'set', 'mi0', 'up');
    nsV.run('ip', 'link', 'set', 'mi1', 'up');
    const lv = path.join(work, 'lv');
    for (const [sub] of MOUNTS) fs.mkdirSync(path.join(lv, sub), { recursive: true });
    fs.mkdirSync(path.join(lv, 'sock'));
    fs.writeFileSync(
      path.join(lv, 'etc', 'qemu.conf'),
      `user = "root"\ngroup = "root"\nsecurity_driver = "none"\nmigration_host = "${SUBNET}.1"\n`,
    );
    fs.writeFileSync(
      path.join(lv, 'libvirtd.conf'),
      `unix_sock_dir = "${lv}/sock"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\nlisten_tcp = 1\nauth_tcp = "none"\nlisten_tls = 0\n` +
        `host_uuid = "00000001-0000-4000-8000-000000000001"\nlog_outputs = "3:file:${lv}/libvirtd.log"\n`,
    );
    const script = [
      'set -e',
      ...MOUNTS.map(([sub, target]) => `mount --bind '${path.join(lv, sub)}' '${target}'`),
      `virtlogd -d --pid-file '${lv}/virtlogd.pid'`,
      `exec libvirtd --listen --config '${lv}/libvirtd.conf' --pid-file '${lv}/libvirtd.pid' -d`,
    ].join('\n');
    execFileSync('ip', ['netns', 'exec', nsL.name, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script]);
    const vroot = path.join(work, 'vk');
    fs.mkdirSync(path.join(vroot, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(vroot, 'etc', 'qemu.conf'), `migration_host = "${SUBNET}.2"\n`);
    fs.writeFileSync(path.join(work, 'vk.conf'), 'listen_tcp = 1\nauth_tcp = "none"\nlisten_tls = 0\n');
    virtkitd = await startDaemon(['--listen', '--config', path.join(work, 'vk.conf'), '--qemu-root', vroot], {}, [
      'ip',
      'netns',
      'exec',
      nsV.name,
    ]);
    const { kernel, initrd } = tinyGuest();
    fs.writeFileSync(
      path.join(work, 'guest.xml'),
      `<domain type='qemu'><name>guest</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
        `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
        `<devices/></domain>\n`,
    );
    for (let t = 0; t < 100 && virsh(nsL, '-c', lvUri, 'uri').status !== 0; t++) await new Promise((r) => setTimeout(r, 100));
  }, 60_000);

  afterAll(async () => {
    if (!work) return;
    virsh(nsL, '-c', lvUri, 'destroy', 'guest');
    for (const f of ['libvirtd.pid', 'virtlogd.pid']) {
      try {
        process.kill(pidOf(f), 'SIGTERM');
      } catch {
        // not running
      }
    }
    await virtkitd?.stop();
    killLeftoverQemu(path.join(work, 'vk'));
    await new Promise((r) => setTimeout(r, 1000));
    nsL.remove();
    nsV.remove();
    fs.rmSync(work, { recursive: true, force: true });
  });

  testUnless(hasMountPoints ? null : "libvirt's state directories (/etc/libvirt, /var/lib/libvirt, ...) are missing")(
    'the guest moves libvirtd → virtkitd → libvirtd, peer-to-peer and client-managed, and runs on',
    () => {
      expect(virsh(nsL, '-c', lvUri, 'create', path.join(work, 'guest.xml')).status).toBe(0);
      const moves: Array<[string, string, string[]]> = [
        [lvUri, vkUri, ['--p2p']],
        [vkUri, lvUri, ['--p2p']],
        [lvUri, vkUri, []],
        [vkUri, lvUri, []],
      ];
      for (const [from, to, extra] of moves) {
        const r = virsh(nsL, '-c', from, 'migrate', '--live', ...extra, 'guest', to);
        expect({ move: `${from} -> ${to} ${extra.join(' ')}`, ...r }).toEqual({
          move: `${from} -> ${to} ${extra.join(' ')}`,
          out: '',
          status: 0,
        });
        expect(status(to)).toBe('VM status: running');
        expect(virsh(nsL, '-c', from, 'list', '--name').out).toBe('');
      }
    },
    300_000,
  );
});
