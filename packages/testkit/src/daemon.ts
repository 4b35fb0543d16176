/** Starts virtkitd as a real process on a temporary socket directory, plus a raw RPC client. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import {
  FrameDecoder,
  PROCEDURES,
  MessageStatus,
  MessageType,
  PROGRAM,
  decodeRemoteError,
  decodeStruct,
  encodeFrame,
  encodeStruct,
  type FieldLayout,
  type Frame,
  type RemoteError,
} from '@virtkit/protocol';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface RunningDaemon {
  dir: string;
  sock: string;
  sockRo: string;
  proc: ChildProcess;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/**
 * Start `bin/virtkitd --socket-dir DIR/run` and wait until both sockets exist.
 * @param extraArgs - more options, or a function giving them from the daemon's temporary DIR
 * @param wrapper - a command that execs the daemon, e.g. `['ip', 'netns', 'exec', NS]`
 */
export async function startDaemon(
  extraArgs: string[] | ((dir: string) => string[]) = [],
  env: Record<string, string> = {},
  wrapper: string[] = [],
): Promise<RunningDaemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkitd-test-'));
  const sockDir = path.join(dir, 'run');
  const extra = typeof extraArgs === 'function' ? extraArgs(dir) : extraArgs;
  const argv = [...wrapper, path.join(ROOT, 'bin', 'virtkitd'), '--socket-dir', sockDir, '--log-level', 'info', ...extra];
  const proc = spawn(argv[0]!, argv.slice(1), {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const sock = path.join(sockDir, 'virtkit-sock');
  const sockRo = path.join(sockDir, 'virtkit-sock-ro');
  const deadline = Date.now() + 30000;
  while (!/ready/.test(err)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`virtkitd did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    sock,
    sockRo,
    proc,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const code = await exited;
      return code;
    },
  };
}

/** Kill what a failed run may have left: every QEMU whose status file is under the private root. */
export function killLeftoverQemu(root: string): void {
  const run = path.join(root, 'run');
  if (!fs.existsSync(run)) return;
  for (const f of fs.readdirSync(run).filter((n) => n.endsWith('.json'))) {
    try {
      const { pid } = JSON.parse(fs.readFileSync(path.join(run, f), 'utf8')) as { pid?: number };
      if (typeof pid === 'number') process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, or not a status file
    }
  }
}

/** Run `once` again while it was killed at its timeout, `attempts` runs at the most. */
function retryTimedOut(once: () => SpawnSyncReturns<string>, attempts: number): SpawnSyncReturns<string> {
  let r = once();
  for (let i = 1; i < attempts && r.status === null && r.signal === 'SIGTERM'; i++) r = once();
  return r;
}

/** Options of a virsh run: the C locale always, and more environment from `env`. */
export interface VirshRunOptions {
  cwd: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Runs killed at the timeout are run again, this many runs at the most: libvirt 9.0's virsh can
   * hang in a job command (save, managedsave, dump) whatever the connection, because the job's
   * thread may quit the main loop (doSave's g_main_loop_quit) before virshWatchJob starts running
   * it. Safe only for sessions that start from a fresh state on every connection
   * (test:///default, and virtkitd's test driver).
   */
  attempts?: number;
}

function runVirshProcess(argv: string[], o: VirshRunOptions, defaultTimeoutMs: number): SpawnSyncReturns<string> {
  const once = () =>
    spawnSync(argv[0]!, argv.slice(1), {
      cwd: o.cwd,
      encoding: 'utf8',
      timeout: o.timeoutMs ?? defaultTimeoutMs,
      env: { ...process.env, ...o.env, LANG: 'C', LC_ALL: 'C' },
    });
  return retryTimedOut(once, o.attempts ?? 1);
}

/** Run virsh; output is stdout and stderr merged in order of arrival (as a terminal shows it). */
export function virsh(args: string[], cwd: string, timeoutMs = 30000): { out: string; status: number | null } {
  const r = runVirshProcess(['sh', '-c', 'exec virsh "$@" 2>&1', 'virsh', ...args], { cwd, timeoutMs }, timeoutMs);
  return { out: r.stdout, status: r.status };
}

/** Run bin/vsh as `virsh` runs virsh: stdout and stderr merged, C locale. */
export function vsh(args: string[], cwd: string, timeoutMs = 30000): { out: string; status: number | null } {
  const r = runVirshProcess(['sh', '-c', 'exec "$0" "$@" 2>&1', path.join(ROOT, 'bin', 'vsh'), ...args], { cwd, timeoutMs }, timeoutMs);
  return { out: r.stdout, status: r.status };
}

/** virsh for sessions that run a job command (save, managedsave, dump): see VirshRunOptions.attempts. */
export function virshJobSession(args: string[], cwd: string, attempts = 3): { out: string; status: number | null } {
  const r = runVirshProcess(['sh', '-c', 'exec virsh "$@" 2>&1', 'virsh', ...args], { cwd, timeoutMs: 10000, attempts }, 10000);
  return { out: r.stdout, status: r.status };
}

/** Run virsh with stdout and stderr apart (its blank line after a command's output is part of what tests compare). */
export function virshApart(args: string[], o: VirshRunOptions): SpawnSyncReturns<string> {
  return runVirshProcess(['virsh', ...args], o, 60000);
}

/** virsh's stdout; a failed run throws with its stderr. */
export function virshOk(args: string[], o: VirshRunOptions): string {
  const r = virshApart(args, o);
  if (r.status !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A minimal libvirt RPC client over a UNIX socket (or any byte stream), for protocol-level tests. */
export class RawClient {
  readonly sock: Duplex;
  private readonly decoder = new FrameDecoder();
  private serial = 0;
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  /** @param target - a UNIX socket path, or a connected byte stream */
  constructor(target: string | Duplex) {
    this.sock = typeof target === 'string' ? net.connect(target) : target;
    this.sock.on('data', (d) => {
      for (const f of this.decoder.push(d)) this.frames.push(f);
      this.wake();
    });
    this.sock.on('error', () => undefined);
    this.sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  connected(): Promise<void> {
    if (!(this.sock instanceof net.Socket)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.sock.once('connect', () => resolve());
      this.sock.once('error', reject);
    });
  }

  write(b: Buffer): void {
    this.sock.write(b);
  }

  /** Wait for the first frame matching `pred` (removing it), or throw on timeout / close. */
  async next(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Send a CALL and wait for its REPLY (5 s unless `opts.timeoutMs`): `{ok: ret}` or `{err}`. */
  async call(
    proc: number,
    args: FieldLayout = [],
    values: Record<string, unknown> = {},
    ret: FieldLayout = [],
    opts: { prog?: number; vers?: number; timeoutMs?: number } = {},
  ): Promise<{ ok?: Record<string, unknown>; err?: RemoteError; frame: Frame }> {
    const serial = this.serial++;
    const prog = opts.prog ?? PROGRAM.REMOTE;
    this.write(
      encodeFrame(
        { prog, vers: opts.vers ?? 1, proc, type: MessageType.CALL, serial, status: MessageStatus.OK },
        encodeStruct(args, values),
      ),
    );
    const f = await this.next(
      (x) => x.header.type === MessageType.REPLY && x.header.serial === serial && x.header.prog === prog,
      opts.timeoutMs,
    );
    if (f.header.status === MessageStatus.ERROR) return { err: decodeRemoteError(f.payload), frame: f };
    return { ok: decodeStruct(ret, f.payload), frame: f };
  }

  close(): void {
    this.sock.destroy();
  }
}

/** The procedure number and layouts of a public call of the REMOTE program, by its SPI name. */
export function remoteProcedure(spi: string): { num: number; args: FieldLayout; ret: FieldLayout } {
  const p = PROCEDURES.find((x) => x.spi === spi && x.program === 'remote');
  if (!p) throw new Error(`no procedure ${spi}`);
  return { num: p.proc, args: p.args as FieldLayout, ret: p.ret as FieldLayout };
}

/** Resident set size of `pid` in MiB (0 once it is gone). */
export function rssMiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
