/**
 * A throw-away libvirtd 9.0 (QEMU driver, privileged) for the comparison, kept off the host's
 * libvirt state: it runs in its own mount namespace where /etc/libvirt, /var/lib/libvirt,
 * /var/cache/libvirt, /var/log/libvirt and /run/libvirt are bind mounts of directories under
 * one temp dir, with virtlogd started in the same namespace. Its sockets live in that temp dir
 * (`unix_sock_dir`), reachable from outside. qemu.conf runs QEMU as root without a security
 * driver, as this machine has no SELinux/AppArmor; everything else is libvirt's default.
 *
 * libvirt's QEMU driver refuses to initialize without its build-time user and group
 * (`libvirt-qemu`, `kvm`/`libvirt-qemu` on Debian) even when qemu.conf names others:
 * `scripts/system-packages.sh test` creates them. Mount points missing on the host are created
 * empty and removed again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pidAlive } from '@virtkit/driver-qemu';
import { now, runTimed, since } from './measure';

const MOUNTS: Array<[string, string]> = [
  ['etc', '/etc/libvirt'],
  ['lib', '/var/lib/libvirt'],
  ['cache', '/var/cache/libvirt'],
  ['log', '/var/log/libvirt'],
  ['run', '/run/libvirt'],
];

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why libvirt cannot be compared here, or undefined. */
export function libvirtUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (privileged libvirtd in a mount namespace)';
  for (const c of ['libvirtd', 'virtlogd', 'virsh', 'unshare']) if (!which(c)) return `${c} is not installed`;
  return undefined;
}

export class PrivateLibvirtd {
  private readonly createdMountPoints: string[] = [];
  private pid: number | undefined;

  /** `wrapper`: a command that execs the rest, e.g. `ip netns exec NS` to run it in a network namespace. */
  constructor(
    readonly dir: string,
    private readonly wrapper: string[] = [],
  ) {}

  get uri(): string {
    return `qemu+unix:///system?socket=${path.join(this.dir, 'sock', 'libvirt-sock')}`;
  }

  /** The capability cache of the private daemon. */
  get capsCacheDir(): string {
    return path.join(this.dir, 'cache', 'qemu', 'capabilities');
  }

  /** The QEMU log of a domain (its command line is in it). */
  domainLog(name: string): string {
    return path.join(this.dir, 'log', 'qemu', `${name}.log`);
  }

  private writeConfig(): void {
    for (const [sub] of MOUNTS) fs.mkdirSync(path.join(this.dir, sub), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'sock'), { recursive: true });
    fs.writeFileSync(path.join(this.dir, 'etc', 'qemu.conf'), 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\n');
    fs.writeFileSync(
      path.join(this.dir, 'libvirtd.conf'),
      `unix_sock_dir = "${this.dir}/sock"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n` +
        `log_outputs = "3:file:${this.dir}/libvirtd.log"\n`,
    );
  }

  /** Start virtlogd + libvirtd; resolves with the ms until the socket answers. */
  async start(): Promise<number> {
    this.writeConfig();
    for (const [, target] of MOUNTS) {
      if (!fs.existsSync(target)) {
        fs.mkdirSync(target, { recursive: true });
        this.createdMountPoints.push(target);
      }
    }
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = [
      'set -e',
      ...MOUNTS.map(([sub, target]) => `mount --bind ${q(path.join(this.dir, sub))} ${q(target)}`),
      `virtlogd -d --pid-file ${q(path.join(this.dir, 'virtlogd.pid'))}`,
      `exec libvirtd --config ${q(path.join(this.dir, 'libvirtd.conf'))} --pid-file ${q(this.pidFile)} -d`,
    ].join('\n');
    const t0 = now();
    const argv = [...this.wrapper, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script];
    execFileSync(argv[0]!, argv.slice(1));
    if (!fs.existsSync(this.pidFile)) throw new Error(`libvirtd did not start: ${this.logTail()}`);
    this.pid = Number(fs.readFileSync(this.pidFile, 'utf8').trim());
    await runTimed(['virsh', '-c', this.uri, 'uri']);
    return since(t0);
  }

  private get pidFile(): string {
    return path.join(this.dir, 'libvirtd.pid');
  }

  private logTail(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'libvirtd.log'), 'utf8').trim().split('\n').slice(-3).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Stop libvirtd and virtlogd by their pids and wait for them to exit. */
  async stop(): Promise<void> {
    const virtlogd = path.join(this.dir, 'virtlogd.pid');
    const pids = [this.pid, fs.existsSync(virtlogd) ? Number(fs.readFileSync(virtlogd, 'utf8').trim()) : undefined];
    this.pid = undefined;
    for (const pid of pids) {
      if (!pid) continue;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        continue;
      }
      for (let i = 0; i < 500 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Remove the mount points this instance had to create on the host, unless something else has used them since. */
  removeMountPoints(): void {
    for (const d of this.createdMountPoints.reverse()) {
      try {
        fs.rmdirSync(d);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw e;
      }
    }
    this.createdMountPoints.length = 0;
  }
}
