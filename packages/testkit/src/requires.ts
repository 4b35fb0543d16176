/**
 * What a test needs from the machine (a program, a privilege, a kernel feature) and why it is
 * missing: one probe per need, so every suite skips for the same reasons, with the reason in the
 * skipped title. `describeIf('virsh', 'qemu')('…', () => …)` runs where both are present.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTinyGuest } from './tiny-guest';

export type Need =
  | 'qemu'
  | 'qemu-img'
  | 'root'
  | 'virsh'
  | 'virsh 9.0'
  | 'libvirtd'
  | 'libvirt-python'
  | 'openssl'
  | 'mount namespaces'
  | 'npm packages'
  | 'tiny-guest'
  | 'tiny-guest agent'
  | 'net admin'
  | 'dnsmasq'
  | 'nftables'
  | 'tc shaping'
  | 'cpp'
  | 'virt-install'
  | 'cgroup v1 cpuset';

export const QEMU_SYSTEM = '/usr/bin/qemu-system-x86_64';
export const PYTHON = '/usr/bin/python3';
const LIBVIRTD_CANDIDATES = ['/usr/sbin/libvirtd', '/usr/local/sbin/libvirtd'];

/** The libvirtd binary tests start, or null. */
export function findLibvirtd(): string | null {
  return LIBVIRTD_CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** Whether /dev/kvm can be opened, so guests may use `accel=kvm`. */
export function kvmUsable(): boolean {
  try {
    fs.closeSync(fs.openSync('/dev/kvm', 'r+'));
    return true;
  } catch {
    return false;
  }
}

let hostCpuUnderKvm: boolean | undefined;

/**
 * Whether QEMU starts a KVM guest with the host's CPU (`-cpu host`, what virt-install's
 * host-passthrough default asks for). A nested KVM may open /dev/kvm and run QEMU's own models
 * yet refuse the host's MSRs (seen on an AMD EPYC guest: "failed to set MSR 0x10a"); bare QEMU
 * and libvirt fail alike there, so tests that let a client pick KVM ask for TCG instead.
 */
export function kvmRunsHostCpu(): boolean {
  if (hostCpuUnderKvm === undefined) {
    hostCpuUnderKvm = false;
    if (kvmUsable()) {
      const pidFile = path.join(os.tmpdir(), `vk-kvm-probe-${process.pid}.pid`);
      const args = ['-accel', 'kvm', '-cpu', 'host', '-display', 'none', '-nodefaults', '-S', '-daemonize', '-pidfile', pidFile];
      hostCpuUnderKvm = spawnSync('qemu-system-x86_64', args, { stdio: 'ignore', timeout: 20000 }).status === 0;
      try {
        process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
        fs.rmSync(pidFile);
      } catch {
        // it never started
      }
    }
  }
  return hostCpuUnderKvm;
}

const runs = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore', timeout: 20000 }).status === 0;

function virshVersion(): string | null {
  const r = spawnSync('virsh', ['--version'], { encoding: 'utf8', timeout: 20000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Each need's probe: why it is not met here, or null. */
const PROBES: Record<Need, () => string | null> = {
  qemu: () => (fs.existsSync(QEMU_SYSTEM) && runs(QEMU_SYSTEM, ['--version']) ? null : 'qemu-system-x86_64 is not installed'),
  'qemu-img': () => (runs('qemu-img', ['--version']) ? null : 'qemu-img is not installed'),
  root: () => (process.getuid?.() === 0 ? null : `runs as uid ${process.getuid?.()}, not root`),
  virsh: () => (virshVersion() !== null ? null : 'virsh is not installed (Debian: libvirt-clients)'),
  'virsh 9.0': () => {
    const v = virshVersion();
    if (v === null) return 'virsh is not installed (Debian: libvirt-clients)';
    return v === '9.0.0' ? null : `virsh ${v} is not 9.0.0`;
  },
  libvirtd: () => {
    if (process.env.VIRTKIT_SKIP_LIBVIRTD) return 'VIRTKIT_SKIP_LIBVIRTD is set';
    return findLibvirtd() ? null : 'libvirtd is not installed (Debian: libvirt-daemon)';
  },
  'libvirt-python': () => {
    if (!fs.existsSync(PYTHON)) return `${PYTHON} is missing`;
    return runs(PYTHON, ['-c', 'import libvirt']) ? null : `libvirt-python is not importable by ${PYTHON} (Debian: python3-libvirt)`;
  },
  openssl: () => (runs('openssl', ['version']) ? null : 'the openssl command is not installed'),
  cpp: () => (runs('cpp', ['--version']) ? null : 'the C preprocessor (cpp) is not installed'),
  'mount namespaces': () => (runs('unshare', ['-m', 'true']) ? null : 'unshare -m is not permitted here (needs CAP_SYS_ADMIN)'),
  // What a fresh project installing the packed tarballs fetches: the registry's packages, from npm's cache or the registry.
  'npm packages': () =>
    runs('npm', ['view', '--prefer-offline', '@types/node@20', 'version']) &&
    runs('npm', ['view', '--prefer-offline', 'saxes@6', 'version'])
      ? null
      : 'npm can reach neither the registry nor a cache holding @types/node and saxes',
  'tiny-guest': () => {
    const g = buildTinyGuest();
    return typeof g === 'string' ? g : null;
  },
  // The tiny guest with Debian's qemu-ga and its libraries in the initramfs.
  'tiny-guest agent': () => {
    const g = buildTinyGuest(true);
    return typeof g === 'string' ? g : null;
  },
  // What libvirt's <bandwidth> rules need from the kernel: HTB, SFQ and the police action.
  'tc shaping': () =>
    runs('unshare', [
      '-n',
      'sh',
      '-c',
      'ip tuntap add dev vt0 mode tap && tc qdisc add dev vt0 root handle 1: htb && tc class add dev vt0 parent 1: classid 1:1 htb rate 1kbps && ' +
        'tc qdisc add dev vt0 parent 1:1 handle 2: sfq && tc qdisc add dev vt0 ingress && ' +
        'tc filter add dev vt0 parent ffff: protocol all u32 match u32 0 0 police rate 1kbps burst 1kb drop flowid :1',
    ])
      ? null
      : 'the kernel lacks tc shaping (sch_htb, sch_sfq or act_police)',
  dnsmasq: () => (fs.existsSync('/usr/sbin/dnsmasq') ? null : 'dnsmasq is not installed (Debian: dnsmasq-base)'),
  // The network driver's NAT and forwarding rules: an inet table with a NAT chain in a new namespace.
  nftables: () =>
    runs('unshare', ['-n', 'nft', 'add table inet vt; add chain inet vt p { type nat hook postrouting priority srcnat; }'])
      ? null
      : 'nft cannot make a NAT table in a new network namespace (Debian: nftables)',
  // A namespace of its own in which a tap and a bridge can be made (what every NIC test does).
  'net admin': () =>
    runs('unshare', ['-n', 'sh', '-c', 'ip tuntap add dev vt0 mode tap && ip link add vb0 type bridge']) && runs('ip', ['netns', 'list'])
      ? null
      : 'cannot make a tap and a bridge in a new network namespace (needs CAP_NET_ADMIN, iproute2, /dev/net/tun)',
  'virt-install': () => (runs('virt-install', ['--version']) ? null : 'virt-install is not installed (Debian: virtinst)'),
  // Per-thread groups, and so their cpuset.mems, are made on cgroup v1 (hybrid hosts) only.
  'cgroup v1 cpuset': () =>
    fs.existsSync('/sys/fs/cgroup/cpuset/cpuset.mems') ? null : 'the host has no cgroup v1 cpuset hierarchy (a pure cgroup v2 host)',
};

const answers = new Map<Need, string | null>();

/** Why the first unmet need is missing, or null when this machine has them all. */
export function missing(...needs: Need[]): string | null {
  for (const need of needs) {
    if (!answers.has(need)) answers.set(need, PROBES[need]());
    const why = answers.get(need);
    if (why) return why;
  }
  return null;
}

type DescribeFn = (name: string, fn: () => void) => void;
type TestFn = (name: string, fn?: jest.ProvidesCallback, timeout?: number) => void;

const skippedTitle = (name: string, why: string): string => `${name} — skipped: ${why}`;

/** jest's `describe`, or `describe.skip` with `why` in the title when `why` is set. */
export function describeUnless(why: string | null): DescribeFn {
  return why ? (name, fn) => describe.skip(skippedTitle(name, why), fn) : describe;
}

/** jest's `test`, or `test.skip` with `why` in the title when `why` is set. */
export function testUnless(why: string | null): TestFn {
  return why ? (name, fn, timeout) => test.skip(skippedTitle(name, why), fn, timeout) : test;
}

/** `describe` when the machine has every need, else a skip that says which is missing. */
export const describeIf = (...needs: Need[]): DescribeFn => describeUnless(missing(...needs));

/** `test` when the machine has every need, else a skip that says which is missing. */
export const testIf = (...needs: Need[]): TestFn => testUnless(missing(...needs));
