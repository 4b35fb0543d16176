/**
 * Offline block jobs: the same work as QEMU's block jobs, done by qemu-img on the image files of
 * a shut-off domain. A job is a list of qemu-img commands run in order; the first one does the
 * copying and reports its progress (`-p` prints `(NN.NN/100%)`), the later ones fix up headers
 * (`rebase -u`, done in-process when that is safe: qcow2-relink.ts). Cancelling kills the copying command; the chain on disk stays valid because
 * commit only writes into the base, which the layers above shadow. A header fix-up is never
 * interrupted: once the copy is done, the job completes.
 *
 * A two-phase job (active commit) turns ready when its commands are done, and waits there for
 * the engine to pivot (complete) or abort (cancel) — the definition change is the pivot.
 *
 * qemu-img's progress is coarse (commit jumps from its first chunk to 100% while the rate limit
 * still holds it back), so info shows it as a lower bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ChainLayer, JobRunner, RawProgress, RunnerEvents } from './types';

export interface OfflineStep {
  args: string[];
  /** This step copies data and prints `-p` progress. */
  progress?: boolean;
  /** The same work done in-process; resolving false (or failing) leaves it to qemu-img. */
  inProcess?: () => Promise<boolean>;
}

const PROGRESS = /\((\d+(?:\.\d+)?)\/100%\)/g;

export class QemuImgRunner implements JobRunner {
  private child: ChildProcess | undefined;
  private current: OfflineStep | undefined;
  private percent = 0;
  private cancelled = false;
  private ready = false;
  private finished = false;
  private size: Promise<number> | undefined;

  constructor(
    private readonly steps: readonly OfflineStep[],
    /** Bytes the progress step processes (the virtual size of the image it reads); asked on first use. */
    private readonly sizeOf: () => Promise<number>,
    private readonly twoPhase: boolean,
    private readonly speed: number,
    private readonly events: RunnerEvents,
    private readonly qemuImg = 'qemu-img',
  ) {}

  /** Start the commands in the background. */
  start(): void {
    void this.runAll();
  }

  private async runAll(): Promise<void> {
    for (const step of this.steps) {
      if (this.cancelled) return this.end({ kind: 'cancelled' });
      this.current = step;
      const done = (await step.inProcess?.().catch(() => false)) ?? false;
      const res = done ? undefined : await this.runStep(step);
      if (this.cancelled) return this.end({ kind: 'cancelled' });
      if (res) return this.end({ kind: 'failed', error: res });
    }
    this.percent = 100;
    if (this.twoPhase) {
      this.ready = true;
      this.events.ready();
    } else this.end({ kind: 'completed' });
  }

  private end(outcome: Parameters<RunnerEvents['ended']>[0]): void {
    if (this.finished) return;
    this.finished = true;
    this.events.ended(outcome);
  }

  /** Run one command; resolves with an error text, or undefined on success. */
  private runStep(step: OfflineStep): Promise<string | undefined> {
    return new Promise((resolve) => {
      const child = spawn(this.qemuImg, step.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let stderr = '';
      child.stdout!.setEncoding('utf8');
      child.stderr!.setEncoding('utf8');
      child.stdout!.on('data', (s: string) => {
        if (!step.progress) return;
        for (const m of s.matchAll(PROGRESS)) this.percent = Number(m[1]);
      });
      child.stderr!.on('data', (s: string) => (stderr += s));
      child.on('error', (e) => resolve(e.message));
      child.on('close', (code, signal) => {
        this.child = undefined;
        if (code === 0) resolve(undefined);
        else resolve(stderr.trim() || `qemu-img exited with ${signal ?? `status ${code}`}`);
      });
    });
  }

  async setSpeed(): Promise<void> {
    // The engine refuses speed changes of offline jobs before calling this.
  }

  async cancel(): Promise<void> {
    if (this.ready) return this.end({ kind: 'completed' });
    if (this.current && !this.current.progress) return;
    this.cancelled = true;
    this.child?.kill('SIGTERM');
  }

  async complete(): Promise<void> {
    this.end({ kind: 'completed' });
  }

  async progress(): Promise<RawProgress> {
    this.size ??= this.sizeOf();
    const end = await this.size;
    // qemu-img reports 100% before it has flushed and exited (and before the header fix-ups):
    // a job that is still running must not look finished.
    const done = this.ready || this.finished;
    const cur = Math.min(Math.round((this.percent / 100) * end), done ? end : end - 1);
    return { cur, end, speed: this.speed, ready: this.twoPhase ? this.ready : undefined };
  }

  async release(_dropped: readonly ChainLayer[]): Promise<void> {
    // Nothing is held: the images are closed when qemu-img exits.
  }
}
