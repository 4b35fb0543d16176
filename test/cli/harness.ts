/**
 * Runs the same command line through real virsh 9.0 (libvirt's in-process test driver) and through
 * vsh in-process, from test/fixtures/cli with TZ=UTC, so tests can compare stdout, stderr and exit
 * code byte for byte.
 */
import * as path from 'node:path';
import { main } from '@virtkit/cli';
import { testIf, virshApart } from '@virtkit/testkit';

export const FIXTURES = path.resolve(__dirname, '../fixtures/cli');

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * virsh's output for `args` (global options, then the command string or words). A run that hangs
 * in a job command is run again (testkit's VirshRunOptions.attempts): every connection to the
 * test driver starts from the same state, so a rerun sees what the first would have.
 */
export function runVirsh(args: string[]): Outcome {
  const r = virshApart(args, { cwd: FIXTURES, timeoutMs: 20_000, attempts: 3, env: { TZ: 'UTC', LIBVIRT_DEFAULT_URI: 'test:///default' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** vsh's output for the same arguments, run in-process. */
export async function runVsh(args: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const cwd = process.cwd();
  const tz = process.env.TZ;
  process.chdir(FIXTURES);
  process.env.TZ = 'UTC';
  try {
    const code = await main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    return { stdout: out.join(''), stderr: err.join(''), code };
  } finally {
    process.chdir(cwd);
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
}

/**
 * The test driver reports CPU time from the wall clock, so dominfo's `CPU time:` differs between
 * any two runs; it is the one field masked.
 */
export function maskCpuTime(o: Outcome): Outcome {
  return { ...o, stdout: o.stdout.replace(/^(CPU time: +)\d+\.\ds$/gm, '$1<masked>') };
}

export interface Scenario {
  /** The command string (one argument, `;`-separated) or an argument vector. */
  script: string | string[];
  /** Global options before it (default `-c test:///default`). */
  globals?: string[];
  mask?: (o: Outcome) => Outcome;
}

/** Both outcomes of a scenario, masked alike. */
export async function both(s: Scenario): Promise<{ virsh: Outcome; vsh: Outcome }> {
  const args = [...(s.globals ?? ['-c', 'test:///default']), ...(Array.isArray(s.script) ? s.script : [s.script])];
  const mask = s.mask ?? ((o: Outcome) => o);
  return { virsh: mask(runVirsh(args)), vsh: mask(await runVsh(args)) };
}

/** One byte-for-byte comparison test per scenario; skipped (with the reason in the title) without virsh 9.0. */
export function compareAll(table: Record<string, Scenario>): void {
  for (const [name, s] of Object.entries(table)) {
    testIf('virsh 9.0')(name, async () => {
      const { virsh, vsh } = await both(s);
      expect(vsh).toEqual(virsh);
    });
  }
}
