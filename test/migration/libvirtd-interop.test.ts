/**
 * Migration between a libvirtd 9.0 host and a virtkitd host (same QEMU): libvirtd's cookie and
 * definition reach virtkitd and virtkitd's reach libvirtd, peer-to-peer (the source's daemon opens
 * the other), client-managed (virsh runs the steps) and tunnelled, and the guest runs on after
 * each move;
 * a guest with a disk moves with --copy-storage-all, each side's NBD server and mirrors meeting
 * the other's, and the destination's image holds the data.
 * libvirtd runs privileged in its own mount namespace (its state directories bind-mounted from a
 * temp dir) inside its own network namespace; `host_uuid` makes it another host. Each daemon sees
 * its own directory at the disk's path, so the disk cannot be shared.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
import { privateMount } from './two-hosts';

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
  /** The directory each host sees at the disk's path. */
  const disksOf = (uri: string) => path.join(work, uri === lvUri ? 'lv' : 'vk', 'disks');
  const hashOf = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

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
    for (const d of ['disks', 'lv/disks', 'vk/disks']) fs.mkdirSync(path.join(work, d), { recursive: true });
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
      `mount --bind '${path.join(lv, 'disks')}' '${path.join(work, 'disks')}'`,
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
      ...privateMount(path.join(vroot, 'disks'), path.join(work, 'disks')),
    ]);
    const { kernel, initrd } = tinyGuest();
    fs.writeFileSync(
      path.join(work, 'guest.xml'),
      `<domain type='qemu'><name>guest</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
        `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
        `<devices/></domain>\n`,
    );
    for (let t = 0; t < 100 && virsh(nsL, '-c', lvUri, 'uri').status !== 0; t++) await new Promise((r) => setTimeout(r, 100));
    for (const uri of [lvUri, vkUri]) {
      expect(virsh(nsL, '-c', uri, 'pool-define-as', 'disks', 'dir', '--target', path.join(work, 'disks')).status).toBe(0);
      expect(virsh(nsL, '-c', uri, 'pool-start', 'disks').status).toBe(0);
    }
  }, 60_000);

  afterAll(async () => {
    if (!work) return;
    for (const name of ['guest', 'dguest']) {
      virsh(nsL, '-c', lvUri, 'destroy', name);
      virsh(nsL, '-c', vkUri, 'destroy', name);
    }
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
    'the guest moves libvirtd → virtkitd → libvirtd, peer-to-peer, client-managed and tunnelled, and runs on',
    () => {
      expect(virsh(nsL, '-c', lvUri, 'create', path.join(work, 'guest.xml')).status).toBe(0);
      const moves: Array<[string, string, string[]]> = [
        [lvUri, vkUri, ['--p2p']],
        [vkUri, lvUri, ['--p2p']],
        [lvUri, vkUri, []],
        [vkUri, lvUri, []],
        [lvUri, vkUri, ['--p2p', '--tunnelled']],
        [vkUri, lvUri, ['--p2p', '--tunnelled']],
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

  testUnless(hasMountPoints ? null : "libvirt's state directories (/etc/libvirt, /var/lib/libvirt, ...) are missing")(
    'a guest with a disk moves with --copy-storage-all both ways (NBD), peer-to-peer and client-managed; the data arrives',
    () => {
      const data = Buffer.alloc(16 * 1024 * 1024);
      for (let off = 0; off < data.length; off += 65536) createHash('sha512').update(`d${off}`).digest().copy(data, off);
      fs.writeFileSync(path.join(disksOf(lvUri), 'disk.raw'), data);
      const want = hashOf(path.join(disksOf(lvUri), 'disk.raw'));
      const { kernel, initrd } = tinyGuest();
      const xml = path.join(work, 'dguest.xml');
      fs.writeFileSync(
        xml,
        `<domain type='qemu'><name>dguest</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
          `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
          `<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/>` +
          `<source file='${path.join(work, 'disks', 'disk.raw')}'/><target dev='vda' bus='virtio'/></disk></devices></domain>\n`,
      );
      expect(virsh(nsL, '-c', lvUri, 'create', xml).status).toBe(0);
      const moves: Array<[string, string, string[]]> = [
        [lvUri, vkUri, ['--p2p']],
        [vkUri, lvUri, ['--p2p']],
        [lvUri, vkUri, []],
        [vkUri, lvUri, []],
      ];
      for (const [from, to, extra] of moves) {
        const move = `${from} -> ${to} ${extra.join(' ')}`;
        const r = virsh(nsL, '-c', from, 'migrate', '--live', '--copy-storage-all', ...extra, 'dguest', to);
        expect({ move, ...r }).toEqual({ move, out: '', status: 0 });
        expect({ move, status: virsh(nsL, '-c', to, 'domstate', 'dguest').out }).toEqual({ move, status: 'running' });
        expect({ move, hash: hashOf(path.join(disksOf(to), 'disk.raw')) }).toEqual({ move, hash: want });
      }
    },
    400_000,
  );
});
