/**
 * Spawning QEMU (the process part of libvirt's qemuProcessLaunch): the command line completed
 * with what the runtime relies on, the QMP socket bound beforehand and handed over, stdout and
 * stderr appended to the domain's log after a header naming the command.
 *
 * QEMU is spawned detached (own session, stdio to the log file, unref'd) so it outlives the
 * process that started it, as libvirt's daemonized QEMU outlives libvirtd.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { sleep } from '../fsutil';

export interface SpawnRequest {
  /** The command line, argv[0] being the emulator; see prepareArgv. */
  argv: string[];
  env?: Array<[string, string]>;
  uuid: string;
  pidFile: string;
  monitorPath: string;
  logPath: string;
  /** virtkit's version, for the log header. */
  version: string;
  /** Descriptors QEMU inherits after the monitor's, as fd 4, 5, … (macvtap devices). */
  fds?: number[];
}

export interface SpawnedQemu {
  /** Undefined when the spawn failed (`error` says why). */
  pid: number | undefined;
  error?: Error;
  /** The command line run. */
  argv: string[];
  /** Where this run's output starts in the log. */
  logOffset: number;
  startTime: number;
  /** Whether the child has exited (only known while this process is its parent). */
  exited(): boolean;
}

/** The descriptor QEMU finds its pre-bound monitor socket on (the first after stdio). */
const MONITOR_FD = 3;

/** Start QEMU paused (`-S`) with its monitor socket already listening. */
export async function spawnQemu(req: SpawnRequest): Promise<SpawnedQemu> {
  const argv = prepareArgv(req.argv, req.pidFile, req.uuid);
  await fs.promises.rm(req.monitorPath, { force: true });
  // As libvirt does: bind the monitor socket ourselves and hand it to QEMU, so our connect is
  // queued at once and answered the moment QEMU is ready, with no polling for the socket file.
  const monitor = await bindMonitorSocket(req.monitorPath);
  const startTime = Date.now();
  const log = await fs.promises.open(req.logPath, 'a', 0o600);
  let child;
  let logOffset: number;
  try {
    // The header is in place before QEMU, which inherits the descriptor, writes its first line.
    await log.write(logHeader(argv, req.env, req.version, startTime));
    logOffset = (await log.stat()).size;
    child = spawn(argv[0]!, argv.slice(1), {
      detached: true,
      stdio: ['ignore', log.fd, log.fd, monitor.fd, ...(req.fds ?? [])],
      env: req.env ? Object.fromEntries(req.env) : { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
  } finally {
    await log.close();
    await monitor.release();
  }
  let exited = false;
  let error: Error | undefined;
  child.once('error', (e) => (error = e));
  child.once('exit', () => (exited = true));
  child.unref();
  if (!child.pid) {
    await sleep(100); // the 'error' event follows the failed spawn asynchronously
    return { pid: undefined, error: error ?? new Error('spawn failed'), argv, logOffset, startTime, exited: () => true };
  }
  return { pid: child.pid, argv, logOffset, startTime, exited: () => exited };
}

/**
 * Ensure the argv has `-S`, a QMP monitor on the pre-bound socket at fd 3, `-pidfile` and
 * `-uuid` (what a re-attach checks the process by). A `charmonitor` chardev the builder wrote
 * (with its own placeholder fd) is pointed at fd 3.
 */
export function prepareArgv(argv: string[], pidFile: string, uuid?: string): string[] {
  const monitor = `socket,id=charmonitor,fd=${MONITOR_FD},server=on,wait=off`;
  const out = [...argv];
  let hasMonitor = false;
  for (let i = 1; i < out.length; i++) {
    const a = out[i]!;
    if (a === '-chardev' && /(^|,)id=charmonitor(,|$)/.test(out[i + 1] ?? '')) {
      out[i + 1] = monitor;
      hasMonitor = true;
    } else if (a === '-qmp' || a === '-pidfile' || a === '-daemonize') {
      // Our own monitor / pid file replace the caller's; -daemonize would defeat pid tracking.
      out.splice(i, a === '-daemonize' ? 1 : 2);
      i--;
    }
  }
  if (!out.includes('-S')) out.splice(1, 0, '-S');
  if (uuid && !out.includes('-uuid')) out.push('-uuid', uuid);
  if (!hasMonitor) {
    out.push('-chardev', monitor, '-mon', 'chardev=charmonitor,id=monitor,mode=control');
  }
  out.push('-pidfile', pidFile);
  return out;
}

/**
 * A listening UNIX socket at `file` whose descriptor a child can inherit. Node offers no public
 * way to get a server's descriptor, so it is read from the server's private libuv handle; the
 * socket is bound under a temporary name and renamed into place on release, because closing our
 * copy (which QEMU keeps through its own) makes libuv unlink the name it bound.
 */
async function bindMonitorSocket(file: string): Promise<{ fd: number; release(): Promise<void> }> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.rm(tmp, { force: true });
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(tmp, () => resolve());
  });
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  return {
    fd,
    async release() {
      await fs.promises.rename(tmp, file);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function logHeader(argv: string[], env: Array<[string, string]> | undefined, version: string, startTime: number): string {
  const envText = (env ?? []).map(([k, v]) => `${k}=${v}`).join(' ');
  return (
    `${new Date(startTime).toISOString()}: starting up virtkit version ${version}\n` +
    `${envText ? `${envText} \\\n` : ''}${argv.map(shellQuote).join(' \\\n')}\n`
  );
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-+=.,:/@%]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What QEMU wrote to the log since `offset` (its last 4 KiB at most), for a start failure. */
export async function readLogTail(file: string, offset: number): Promise<string> {
  try {
    const buf = await fs.promises.readFile(file);
    return buf
      .subarray(Math.max(offset, buf.length - 4096))
      .toString('utf8')
      .trim();
  } catch {
    return '';
  }
}

/** Append a line to the domain's log (best effort: a log that cannot be written fails nothing). */
export async function appendLog(file: string, line: string): Promise<void> {
  await fs.promises.appendFile(file, `${new Date().toISOString()}: ${line}\n`).catch(() => undefined);
}
