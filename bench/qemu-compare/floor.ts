/**
 * The floor: launch QEMU with exactly the command line our driver ran (taken from its status
 * file), with nothing around it but a bare QMP exchange — greeting, `qmp_capabilities`, `cont` —
 * then SIGTERM and wait for the exit.
 *
 * Two ways to reach the monitor:
 *   - `path`: the argv as the driver runs it (`server=on,wait=off` on a socket path), the socket
 *     polled every millisecond until QEMU has created it;
 *   - `fd`: the monitor socket is bound and listening before QEMU starts and handed over as fd 3
 *     (what libvirt does), so the first connect succeeds and QEMU answers as soon as it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { now, since } from './measure';

/** What the driver recorded about a started domain, enough to launch the same QEMU again. */
export interface RecordedLaunch {
  argv: string[];
  privateDir: string;
  monitorPath: string;
  pidFile: string;
}

export type MonitorMode = 'path' | 'fd';

/** Line-oriented QMP on one socket: the greeting, then one command at a time. */
class RawQmp {
  private buf = '';
  private waiters: Array<(msg: Record<string, unknown>) => void> = [];
  private readonly ready: Promise<Record<string, unknown>>;

  constructor(private readonly sock: net.Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => this.onData(chunk));
    this.ready = this.next();
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line) as Record<string, unknown>;
      if ('event' in msg) continue;
      this.waiters.shift()?.(msg);
    }
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  greeting(): Promise<Record<string, unknown>> {
    return this.ready;
  }

  async execute(command: string): Promise<void> {
    const reply = this.next();
    this.sock.write(`${JSON.stringify({ execute: command })}\r\n`);
    const msg = await reply;
    if ('error' in msg) throw new Error(`${command}: ${JSON.stringify(msg.error)}`);
  }

  close(): void {
    this.sock.destroy();
  }
}

function connectOnce(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ path: socketPath });
    s.once('connect', () => resolve(s));
    s.once('error', (e) => {
      s.destroy();
      reject(e);
    });
  });
}

async function connectPolling(socketPath: string, child: ChildProcess): Promise<net.Socket> {
  for (;;) {
    try {
      return await connectOnce(socketPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || child.exitCode !== null) throw e;
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}

/** A listening UNIX socket whose fd a child can inherit; `path` stays connectable after we let go of it. */
function listeningSocket(dir: string): Promise<{ fd: number; path: string; release: () => Promise<void> }> {
  const bound = path.join(dir, 'floor-monitor.sock');
  const kept = path.join(dir, 'floor-monitor-kept.sock');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(bound, () => {
      const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
      resolve({
        fd,
        path: kept,
        // Node unlinks the path it bound when the server closes: move the socket out of its way.
        release: () =>
          new Promise((done) => {
            fs.renameSync(bound, kept);
            server.close(() => done());
          }),
      });
    });
  });
}

function withFdMonitor(argv: string[]): string[] {
  return argv.map((a) => (/^socket,id=charmonitor,/.test(a) ? 'socket,id=charmonitor,fd=3,server=on,wait=off' : a));
}

/** The same command with the monitor bound by QEMU itself at `socketPath` (the polling floor). */
function withPathMonitor(argv: string[], socketPath: string): string[] {
  const spec = `socket,id=charmonitor,path=${socketPath.replace(/,/g, ',,')},server=on,wait=off`;
  return argv.map((a) => (/^socket,id=charmonitor,/.test(a) ? spec : a));
}

/** One launch: start→running and destroy→exited, and when each QMP step completed (ms from spawn). */
export interface FloorTimes {
  startMs: number;
  destroyMs: number;
  spawnedAt: number;
  greetingAt: number;
  capsAt: number;
}

/** Launch once. */
export async function launchFloor(rec: RecordedLaunch, mode: MonitorMode): Promise<FloorTimes> {
  fs.mkdirSync(rec.privateDir, { recursive: true, mode: 0o750 });
  fs.writeFileSync(path.join(rec.privateDir, 'master-key.aes'), randomBytes(32), { mode: 0o600 });
  fs.rmSync(rec.monitorPath, { force: true });
  fs.rmSync(rec.pidFile, { force: true });
  const log = fs.openSync('/dev/null', 'w');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  let child: ChildProcess | undefined;
  let qmp: RawQmp | undefined;
  try {
    const t0 = now();
    let sock: net.Socket;
    let spawnedAt: number;
    if (mode === 'fd') {
      const listener = await listeningSocket(rec.privateDir);
      child = spawn(rec.argv[0]!, withFdMonitor(rec.argv).slice(1), { stdio: ['ignore', log, log, listener.fd], env });
      spawnedAt = since(t0);
      await listener.release();
      sock = await connectOnce(listener.path);
    } else {
      child = spawn(rec.argv[0]!, withPathMonitor(rec.argv, rec.monitorPath).slice(1), { stdio: ['ignore', log, log], env });
      spawnedAt = since(t0);
      sock = await connectPolling(rec.monitorPath, child);
    }
    qmp = new RawQmp(sock);
    await qmp.greeting();
    const greetingAt = since(t0);
    await qmp.execute('qmp_capabilities');
    const capsAt = since(t0);
    await qmp.execute('cont');
    const startMs = since(t0);
    const t1 = now();
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
    const destroyMs = since(t1);
    return { startMs, destroyMs, spawnedAt, greetingAt, capsAt };
  } finally {
    qmp?.close();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.closeSync(log);
    fs.rmSync(rec.privateDir, { recursive: true, force: true });
    fs.rmSync(rec.pidFile, { force: true });
  }
}
