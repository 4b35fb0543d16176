/**
 * `virsh domstats` against virtkitd lists the same keys, in the same order, as against libvirtd 9.0
 * for the same domains on the same QEMU (TCG): a running one with a qcow2 disk over a backing
 * image, a raw disk, an empty CD-ROM, an ethernet NIC, a balloon reporting guest statistics, an
 * IOThread and one of two vCPUs online; and a defined one that is shut off. Every stats group is
 * asked for (all of them implicitly, each one explicitly with --enforce, and with --backing).
 * Each daemon runs in its own test-made network namespace (its taps stay there); libvirtd runs
 * privileged in its own mount namespace, its state directories bind-mounted from a temp dir.
 */
import { execFileSync } from 'node:child_process';
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
  virsh,
  waitFor,
  type NetNs,
  type RunningDaemon,
} from '@virtkit/testkit';

const MOUNTS: Array<[string, string]> = [
  ['etc', '/etc/libvirt'],
  ['lib', '/var/lib/libvirt'],
  ['cache', '/var/cache/libvirt'],
  ['log', '/var/log/libvirt'],
  ['run', '/run/libvirt'],
];
const hasMountPoints = MOUNTS.every(([, t]) => fs.existsSync(t));

/** The same domain for both daemons, its images under `dir`. */
function domainXml(name: string, dir: string): string {
  const { kernel, initrd } = tinyGuest();
  return (
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>128</memory><vcpu current='1'>2</vcpu><iothreads>1</iothreads>` +
    `<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>` +
    `<devices>` +
    `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${dir}/top.qcow2'/><target dev='vda' bus='virtio'/></disk>` +
    `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${dir}/raw.img'/><target dev='vdb' bus='virtio'/></disk>` +
    `<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>` +
    `<interface type='ethernet'><model type='virtio'/></interface>` +
    `<memballoon model='virtio'><stats period='1'/></memballoon>` +
    `</devices></domain>\n`
  );
}

function makeImages(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(dir, 'base.qcow2'), '64M']);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', path.join(dir, 'base.qcow2'), '-F', 'qcow2', path.join(dir, 'top.qcow2')]);
  execFileSync('qemu-img', ['create', '-q', '-f', 'raw', path.join(dir, 'raw.img'), '32M']);
}

/** The keys of each domain of a `virsh domstats` output, values dropped, by domain name (daemons list domains in their own order). */
function keysOf(out: string): Record<string, string[]> {
  const byDomain: Record<string, string[]> = {};
  let keys: string[] = [];
  for (const l of out.split('\n')) {
    const dom = /^Domain: '(.*)'$/.exec(l)?.[1];
    if (dom !== undefined) byDomain[dom] = keys = [];
    const key = /^\s+([^=]+)=/.exec(l)?.[1];
    if (key !== undefined) keys.push(key);
  }
  return byDomain;
}

const GROUPS = ['state', 'cpu-total', 'balloon', 'vcpu', 'interface', 'block', 'perf', 'iothread', 'memory', 'dirtyrate', 'vm'];

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'libvirtd',
  'tiny-guest',
  'root',
)('virsh domstats keys: virtkitd next to libvirtd 9.0', () => {
  let work: string;
  let nsL: NetNs;
  let nsV: NetNs;
  let virtkitd: RunningDaemon;
  let lvUri: string;
  let vkUri: string;
  const lvPid = (f: string) => Number(fs.readFileSync(path.join(work, 'lv', f), 'utf8').trim());

  beforeAll(async () => {
    if (!hasMountPoints) return;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'domstats-keys-'));
    nsL = makeNetNs('dslv');
    nsV = makeNetNs('dsvk');
    const lv = path.join(work, 'lv');
    for (const [sub] of MOUNTS) fs.mkdirSync(path.join(lv, sub), { recursive: true });
    fs.mkdirSync(path.join(lv, 'sock'));
    fs.writeFileSync(path.join(lv, 'etc', 'qemu.conf'), 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\n');
    fs.writeFileSync(
      path.join(lv, 'libvirtd.conf'),
      `unix_sock_dir = "${lv}/sock"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\nlisten_tcp = 0\nlisten_tls = 0\n` +
        `log_outputs = "3:file:${lv}/libvirtd.log"\n`,
    );
    const script = [
      'set -e',
      ...MOUNTS.map(([sub, target]) => `mount --bind '${path.join(lv, sub)}' '${target}'`),
      `virtlogd -d --pid-file '${lv}/virtlogd.pid'`,
      `exec libvirtd --config '${lv}/libvirtd.conf' --pid-file '${lv}/libvirtd.pid' -d`,
    ].join('\n');
    execFileSync('ip', ['netns', 'exec', nsL.name, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script]);
    lvUri = `qemu:///system?socket=${lv}/sock/libvirt-sock`;
    virtkitd = await startDaemon(['--qemu-root', path.join(work, 'vk')], {}, nsV.exec([]));
    vkUri = `qemu+unix:///system?socket=${virtkitd.sock}`;
    await waitFor(() => virsh(['-c', lvUri, 'uri'], work).status === 0, 20_000, 'libvirtd to answer');
    for (const [who, uri] of [
      ['lv', lvUri],
      ['vk', vkUri],
    ] as const) {
      const dir = path.join(work, `${who}-images`);
      makeImages(dir);
      fs.writeFileSync(path.join(work, `${who}-run.xml`), domainXml('run', dir));
      fs.writeFileSync(path.join(work, `${who}-off.xml`), domainXml('off', dir));
      expect(virsh(['-c', uri, 'create', path.join(work, `${who}-run.xml`)], work)).toMatchObject({ status: 0 });
      expect(virsh(['-c', uri, 'define', path.join(work, `${who}-off.xml`)], work)).toMatchObject({ status: 0 });
    }
    // Compare once both guests have sent their balloon statistics (the keys they add are part of it).
    const reported = (uri: string) => /balloon\.last-update=[1-9]/.test(virsh(['-c', uri, 'domstats', '--balloon', 'run'], work).out);
    await waitFor(() => reported(lvUri) && reported(vkUri), 120_000, 'balloon statistics from both guests');
  }, 240_000);

  afterAll(async () => {
    if (!work) return;
    virsh(['-c', lvUri, 'destroy', 'run'], work);
    for (const f of ['libvirtd.pid', 'virtlogd.pid']) {
      try {
        process.kill(lvPid(f), 'SIGTERM');
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

  const cases: Array<[string, string[]]> = [
    ['all groups', []],
    ['all groups with the backing chain', ['--backing']],
    ['every group asked for, enforced, of the running domain', [...GROUPS.map((g) => `--${g}`), '--enforce', '--list-active']],
    // A shut-off domain has no QEMU to ask for IOThreads, dirty rate or the vm group: enforced, that is an error.
    ['every group asked for, enforced, of all domains', [...GROUPS.map((g) => `--${g}`), '--enforce']],
    ['the shut-off domain alone', ['--list-inactive']],
    ['the running domain, backing chain, nowait', ['--list-active', '--backing', '--nowait']],
  ];
  for (const [what, args] of cases) {
    testUnless(hasMountPoints ? null : "libvirt's state directories (/etc/libvirt, /var/lib/libvirt, ...) are missing")(
      `the same keys: ${what}`,
      () => {
        const lv = virsh(['-c', lvUri, 'domstats', ...args], work);
        const vk = virsh(['-c', vkUri, 'domstats', ...args], work);
        const view = (r: { out: string; status: number | null }) =>
          r.status === 0 ? { status: 0, keys: keysOf(r.out) } : { status: r.status, error: r.out.trim() };
        if (lv.status === 0) expect(Object.values(keysOf(lv.out)).flat().length).toBeGreaterThan(10);
        expect(view(vk)).toEqual(view(lv));
      },
    );
  }
});
