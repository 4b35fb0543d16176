/**
 * A private libvirtd 9.0 for tests (the recipe of packages/bindings-python/tests/libvirtd_fixture.py):
 * its own config and socket dir, auth none, HOME/XDG dirs in a temp dir, run as `nobody` when the
 * tests run as root, and LIBVIRT_DRIVER_DIR with no modules (the test driver is built in).
 * Optionally listens on plain TCP and on TLS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findLibvirtd, missing } from './requires';

export interface RunningLibvirtd {
  dir: string;
  /** The directory holding the sockets (libvirt's unix_sock_dir). */
  runDir: string;
  sock: string;
  sockRo: string;
  tcpPort: number | null;
  proc: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.lchownSync(dir, uid, gid);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else fs.lchownSync(p, uid, gid);
  }
}

export interface LibvirtdOptions {
  /** Listen on 127.0.0.1:port, plain TCP, auth none. */
  tcpPort?: number;
  /** Listen on 127.0.0.1:port with TLS, auth none, client certificates checked against `ca`. */
  tls?: { port: number; ca: string; cert: string; key: string };
  /**
   * Hypervisor and storage driver modules to load (`qemu`, `storage`, ...), linked from the
   * installed libvirt: the daemon then serves e.g. qemu:///session as the unprivileged user.
   */
  drivers?: string[];
  /** Run as the invoking user instead of nobody: host drivers such as nodedev read what only root may. */
  asInvoker?: boolean;
  /** A command that execs the rest, e.g. `ip netns exec NS` to run the daemon in a network namespace. */
  wrapper?: string[];
  /**
   * Run in a private mount namespace where libvirt's system directories (a root daemon's
   * drivers ignore the XDG ones) are folders of the daemon's own, and where the empty cgroup2
   * mount of a hybrid host (/sys/fs/cgroup/unified) is unmounted: with it, libvirt's LXC driver
   * fails every start ("Unable to create directory /sys/fs/cgroup/unified/…").
   */
  privateSystemDirs?: boolean;
  /**
   * With `privateSystemDirs`: the daemon's /etc/libvirt/qemu.conf, for a privileged QEMU driver
   * (e.g. `user = "root"`, `security_driver = "none"`, `stdio_handler = "file"` so that no
   * virtlogd is needed).
   */
  qemuConf?: string;
}

/** The directories a root libvirtd writes whatever its configuration says. */
const SYSTEM_DIRS = ['/etc/libvirt', '/var/lib/libvirt', '/var/cache/libvirt', '/var/log/libvirt', '/run/libvirt'];

/** `unshare` into a mount namespace with the system directories bound to folders under `dir`. */
function privateSystemDirsWrapper(dir: string): string[] {
  const script = [
    'set -e',
    ...SYSTEM_DIRS.map((d) => {
      const own = path.join(dir, 'system', d.slice(1).replaceAll('/', '-'));
      fs.mkdirSync(own, { recursive: true });
      return `mkdir -p ${d} && mount --bind '${own}' ${d}`;
    }),
    'if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi',
    'exec "$@"',
  ].join('\n');
  return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'sh'];
}

/** Where Debian installs libvirt's loadable connection drivers. */
const DRIVER_MODULES = '/usr/lib/x86_64-linux-gnu/libvirt/connection-driver';

export async function startLibvirtd(opts: LibvirtdOptions = {}): Promise<RunningLibvirtd> {
  const binary = findLibvirtd();
  if (!binary) throw new Error(missing('libvirtd')!);
  // Short names: the QEMU driver's channel sockets live under XDG_CONFIG_HOME, within the
  // 108 bytes of a UNIX socket path (libvirt refuses longer ones at start).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vkl-'));
  fs.chmodSync(dir, 0o755);
  for (const sub of ['run', 'drivers', 'home', 'xdg-runtime', 'cfg', 'xdg-cache']) fs.mkdirSync(path.join(dir, sub), { mode: 0o700 });
  const run = path.join(dir, 'run');
  for (const d of opts.drivers ?? []) {
    fs.symlinkSync(path.join(DRIVER_MODULES, `libvirt_driver_${d}.so`), path.join(dir, 'drivers', `libvirt_driver_${d}.so`));
  }
  const conf = path.join(dir, 'libvirtd.conf');
  const tcp = opts.tcpPort ? `listen_tcp = 1\ntcp_port = "${opts.tcpPort}"\nauth_tcp = "none"\n` : 'listen_tcp = 0\n';
  const t = opts.tls;
  const tls = t
    ? `listen_tls = 1\ntls_port = "${t.port}"\nauth_tls = "none"\nca_file = "${t.ca}"\ncert_file = "${t.cert}"\nkey_file = "${t.key}"\n`
    : 'listen_tls = 0\n';
  fs.writeFileSync(
    conf,
    `listen_addr = "127.0.0.1"\n${tls}${tcp}unix_sock_dir = "${run}"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n` +
      'unix_sock_rw_perms = "0777"\nunix_sock_ro_perms = "0777"\nlog_outputs = "3:stderr"\n',
  );
  // A mount namespace needs root: privateSystemDirs runs the daemon as the invoker.
  const asNobody = process.getuid?.() === 0 && !opts.asInvoker && !opts.privateSystemDirs;
  if (asNobody) chownTree(dir, 65534, 65534);
  const logFile = path.join(dir, 'libvirtd.log');
  const out = fs.openSync(logFile, 'w');
  const args = ['--config', conf, '--pid-file', path.join(dir, 'libvirtd.pid')];
  if (opts.tcpPort || opts.tls) args.push('--listen');
  const argv = [...(opts.wrapper ?? []), ...(opts.privateSystemDirs ? privateSystemDirsWrapper(dir) : []), binary, ...args];
  if (opts.privateSystemDirs && opts.qemuConf !== undefined)
    fs.writeFileSync(path.join(dir, 'system', 'etc-libvirt', 'qemu.conf'), opts.qemuConf);
  const proc = spawn(argv[0]!, argv.slice(1), {
    cwd: dir,
    stdio: ['ignore', out, out],
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: path.join(dir, 'home'),
      XDG_RUNTIME_DIR: path.join(dir, 'xdg-runtime'),
      XDG_CONFIG_HOME: path.join(dir, 'cfg'),
      XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
      LIBVIRT_DRIVER_DIR: path.join(dir, 'drivers'),
    },
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  fs.closeSync(out);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const log = (): string => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '');
  const sock = path.join(run, 'libvirt-sock');
  const deadline = Date.now() + 20000;
  while (!fs.existsSync(sock)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`libvirtd did not create ${sock}:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    runDir: run,
    sock,
    sockRo: path.join(run, 'libvirt-sock-ro'),
    tcpPort: opts.tcpPort ?? null,
    proc,
    log,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
