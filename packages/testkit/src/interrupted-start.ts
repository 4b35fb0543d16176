/**
 * Interrupted domain starts: start a domain and interrupt the starter — SIGKILL of an embed
 * `bin/vsh start`, SIGINT (Ctrl-C) of one, SIGKILL of virtkitd serving the start — at points
 * spread over the start (0 to 1000 ms after QEMU wrote its pid file), then ask a fresh process for
 * the domain's state, start it again and destroy it, counting the QEMUs that carry the domain's
 * UUID at each step. An orphan is a QEMU of the domain alive while the domain says it is shut
 * off; a duplicate is a second QEMU after the second start. Loopback only (UNIX sockets), TCG.
 *
 * Shared by test/cli/interrupted-start.test.ts (single trials) and
 * bench/soak/interrupted-start.ts (the 20-trial figure).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type InterruptMode = 'vsh-sigkill' | 'vsh-sigint' | 'daemon-sigkill';

export interface TrialResult {
  mode: InterruptMode;
  delayMs: number;
  /** The starter was interrupted before it exited by itself. */
  interrupted: boolean;
  /** What the next process reports (`domstate`). */
  stateAfter: string;
  /** QEMUs with the domain's UUID once the next process has looked. */
  qemusAfter: number;
  /** QEMUs with the domain's UUID after a second start. */
  qemusAfterRestart: number;
  /** QEMUs with the domain's UUID after destroy. */
  qemusAfterDestroy: number;
}

export const UUID = '5e1f0c3a-9d7b-4c2e-8a61-0f3b2d4c6e88';
const NAME = 'intr';

const XML =
  `<domain type='qemu'><name>${NAME}</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64'>hvm</type></os></domain>\n`;

/** The pids of the processes whose command line carries `uuid` (the QEMUs of that domain). */
export function qemusOf(uuid: string): number[] {
  const needle = Buffer.from(uuid);
  const pids: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`);
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      if (cmd.includes(needle) && cmd.includes('qemu-system') && !/\) [ZX] /.test(stat)) pids.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One scratch root with the domain defined, and the programs of `checkout`. */
export class InterruptedStartBench {
  readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-intr-'));
  readonly root = path.join(this.work, 'root');
  private daemon: ChildProcess | undefined;
  private readonly sockDir = path.join(this.work, 'sock');

  constructor(readonly checkout: string) {
    fs.writeFileSync(path.join(this.work, 'dom.xml'), XML);
    this.vsh(this.embedUri, 'define', path.join(this.work, 'dom.xml'));
  }

  get embedUri(): string {
    return `qemu:///embed?root=${this.root}`;
  }

  get daemonUri(): string {
    return `qemu+unix:///system?socket=${path.join(this.sockDir, 'virtkit-sock')}`;
  }

  /** Run vsh to its end; resolves with its stdout (throws on a non-zero exit). */
  vsh(uri: string, ...args: string[]): string {
    const r = spawnSync(path.join(this.checkout, 'bin', 'vsh'), ['-c', uri, ...args], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`vsh ${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  /** Start virtkitd on the root (the driver's `qemu:///system` mapped into it) and wait until it serves. */
  async startDaemon(): Promise<void> {
    fs.rmSync(this.sockDir, { recursive: true, force: true });
    const d = spawn(
      path.join(this.checkout, 'bin', 'virtkitd'),
      ['--socket-dir', this.sockDir, '--qemu-root', this.root, '--log-level', 'info'],
      {
        cwd: this.checkout,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    d.stderr!.on('data', (b) => (err += String(b)));
    const end = Date.now() + 30_000;
    while (!/ready/.test(err)) {
      if (Date.now() > end || d.exitCode !== null) throw new Error(`virtkitd did not start: ${err}`);
      await sleep(20);
    }
    this.daemon = d;
  }

  async stopDaemon(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const d = this.daemon;
    this.daemon = undefined;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    const exited = new Promise((r) => d.once('exit', r));
    d.kill(signal);
    await exited;
  }

  /**
   * Start the domain through `mode`'s starter and interrupt it `delayMs` after QEMU wrote its
   * pid file; then look, start again and destroy through a fresh process (or daemon).
   */
  async trial(mode: InterruptMode, delayMs: number): Promise<TrialResult> {
    const viaDaemon = mode === 'daemon-sigkill';
    if (viaDaemon) await this.startDaemon();
    const uri = viaDaemon ? this.daemonUri : this.embedUri;
    const pidFile = path.join(this.root, 'run', `${NAME}.pid`);
    fs.rmSync(pidFile, { force: true });
    const starter = spawn(path.join(this.checkout, 'bin', 'vsh'), ['-c', uri, 'start', NAME], { stdio: 'ignore' });
    const starterExit = new Promise((r) => starter.once('exit', r));
    let done = false;
    void starterExit.then(() => (done = true));
    const end = Date.now() + 60_000;
    while (!done && !fs.existsSync(pidFile) && Date.now() < end) await sleep(1);
    if (delayMs > 0) await sleep(delayMs);
    const interrupted = !done;
    if (viaDaemon) await this.stopDaemon('SIGKILL');
    else if (!done) starter.kill(mode === 'vsh-sigint' ? 'SIGINT' : 'SIGKILL');
    await starterExit;
    if (viaDaemon) await this.startDaemon();
    const stateAfter = this.vsh(uri, 'domstate', NAME).trim();
    const qemusAfter = qemusOf(UUID).length;
    let qemusAfterRestart = qemusAfter;
    if (stateAfter === 'shut off') {
      try {
        this.vsh(uri, 'start', NAME);
      } catch {
        /* the old code may fail on the image or pid file: the count says what happened */
      }
      qemusAfterRestart = qemusOf(UUID).length;
    }
    try {
      this.vsh(uri, 'destroy', NAME);
    } catch {
      /* already shut off */
    }
    const qemusAfterDestroy = qemusOf(UUID).length;
    if (viaDaemon) await this.stopDaemon();
    // Each trial starts clean, whatever the last one left.
    for (const pid of qemusOf(UUID)) process.kill(pid, 'SIGKILL');
    while (qemusOf(UUID).length > 0) await sleep(10);
    return { mode, delayMs, interrupted, stateAfter, qemusAfter, qemusAfterRestart, qemusAfterDestroy };
  }

  async close(): Promise<void> {
    await this.stopDaemon();
    for (const pid of qemusOf(UUID)) process.kill(pid, 'SIGKILL');
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}

/** What a trial left wrong: QEMUs alive while the domain says shut off (or beyond the one it runs), a second QEMU after a second start, QEMUs that outlived destroy. */
export function faults(r: TrialResult): { orphans: number; duplicates: number; survivedDestroy: number } {
  return {
    orphans: r.stateAfter === 'shut off' ? r.qemusAfter : Math.max(0, r.qemusAfter - 1),
    duplicates: Math.max(0, r.qemusAfterRestart - 1),
    survivedDestroy: r.qemusAfterDestroy,
  };
}
