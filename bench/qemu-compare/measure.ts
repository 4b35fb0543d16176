/** Timing helpers of the QEMU comparison bench: clocks, medians, whole-process runs. */
import { spawn } from 'node:child_process';

/** Milliseconds since `t0` (a `now()` value). */
export const since = (t0: number): number => performance.now() - t0;
export const now = (): number => performance.now();

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One series of samples (ms) under a label. */
export class Series {
  readonly samples: number[] = [];
  constructor(readonly label: string) {}
  add(ms: number): void {
    this.samples.push(ms);
  }
  get median(): number {
    return median(this.samples);
  }
}

/** Run a command to completion; resolves with its wall time (ms) and output, rejects on a non-zero exit. */
export function runTimed(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = since(t0);
      if (code === 0) resolve({ ms, stdout, stderr });
      else reject(new Error(`${argv.join(' ')} exited with ${code}: ${stderr.trim() || stdout.trim()}`));
    });
  });
}

/** `n` timed runs of `fn` after `warmup` untimed ones. */
export async function repeat(n: number, fn: () => Promise<number>, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}
