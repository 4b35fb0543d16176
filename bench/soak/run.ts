/**
 * The soak probes of issue 12, one after another, each bounded in time and size and loopback-only
 * (unix sockets in temporary directories, a private libvirtd 9.0 beside virtkitd when installed):
 *
 *     npx tsx bench/soak/run.ts [--ci] [--only NAME[,NAME]] [--seed N] [--strict] [--bound KEY=MAX]...
 *
 * --ci is the slice CI runs (under 5 minutes on 2 cores; seed 1 unless --seed). Prints every
 * figure and each bound's verdict; exits 1 when an enforced bound is broken or a probe fails, 2 on
 * a usage error.
 * --strict enforces the bounds still marked pending in bounds.ts.
 */
import { runProcess } from '@virtkit/core';
import { boundsWith, type Bound } from './bounds';
import { crashProbe } from './crash';
import { eventsProbe } from './events';
import { fuzzProbe } from './fuzz';
import { hugeDefineProbe } from './huge-define';
import { loadProbe } from './load';
import { nonReadingProbe } from './nonreading';
import type { Figures, Probe } from './probe';

const PROBES: Probe[] = [fuzzProbe, loadProbe, crashProbe, eventsProbe, nonReadingProbe, hugeDefineProbe];

interface Args {
  ci: boolean;
  only: string[] | null;
  seed: number;
  strict: boolean;
  bounds: Bound[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { ci: false, only: null, seed: NaN, strict: false, bounds: [] };
  const overrides: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--ci':
        a.ci = true;
        break;
      case '--strict':
        a.strict = true;
        break;
      case '--only':
        a.only = value().split(',');
        break;
      case '--seed':
        a.seed = Number(value());
        break;
      case '--bound':
        overrides.push(value());
        break;
      default:
        throw new Error(`unknown option '${argv[i]}'`);
    }
  }
  const unknown = (a.only ?? []).filter((n) => !PROBES.some((p) => p.name === n));
  if (unknown.length) throw new Error(`unknown probe ${unknown.join(', ')} (probes: ${PROBES.map((p) => p.name).join(', ')})`);
  // CI repeats one input set (seed 1) so a red run can be replayed; a full run draws a new one.
  if (Number.isNaN(a.seed)) a.seed = a.ci ? 1 : Date.now() % 1_000_000;
  a.bounds = boundsWith(overrides);
  return a;
}

type Verdict = 'held' | 'BROKEN' | 'broken, pending';

/** Each bound of `probe` whose figure was measured, with its verdict. */
function judge(probe: string, figures: Figures, bounds: Bound[], strict: boolean): { line: string; verdict: Verdict }[] {
  return bounds
    .filter((b) => b.key.startsWith(`${probe}.`) && typeof figures[b.key.slice(probe.length + 1)] === 'number')
    .map((b) => {
      const value = figures[b.key.slice(probe.length + 1)] as number;
      const verdict: Verdict = value <= b.max ? 'held' : b.pending && !strict ? 'broken, pending' : 'BROKEN';
      const note = b.pending && verdict !== 'BROKEN' ? ` (pending: ${b.pending})` : '';
      return { line: `  bound ${b.key} <= ${b.max}: ${value}, ${verdict}${note}`, verdict };
    });
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`soak: ${(e as Error).message}\n`);
    return 2;
  }
  const log = (line: string): void => {
    process.stderr.write(`soak: ${line}\n`);
  };
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  out(`soak ${args.ci ? 'CI slice' : 'full run'}, seed ${args.seed}, node ${process.version}`);
  const counts = { held: 0, broken: 0, pending: 0, failed: 0 };
  // Named again in the last line: a CI log may keep only the tail of a long run.
  const failures: string[] = [];
  for (const probe of PROBES.filter((p) => !args.only || args.only.includes(p.name))) {
    out(`${probe.name}: ${probe.what}`);
    const t0 = Date.now();
    let figures: Figures;
    try {
      figures = await probe.run({ ci: args.ci, seed: args.seed, log });
    } catch (e) {
      out(`  FAILED: ${(e as Error).stack ?? e}`);
      counts.failed++;
      failures.push(`${probe.name}: ${String((e as Error).message ?? e).split('\n')[0]}`);
      continue;
    }
    for (const [k, v] of Object.entries(figures)) out(`  ${k} = ${v}`);
    for (const { line, verdict } of judge(probe.name, figures, args.bounds, args.strict)) {
      out(line);
      if (verdict === 'held') counts.held++;
      else if (verdict === 'BROKEN') counts.broken++;
      else counts.pending++;
    }
    out(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  out(
    `soak: ${counts.held} bounds held, ${counts.broken} broken, ${counts.pending} broken but pending a fix, ${counts.failed} probes failed` +
      (failures.length ? ` (${failures.join('; ')})` : ''),
  );
  return counts.broken || counts.failed ? 1 : 0;
}

runProcess(() => main(process.argv.slice(2)), {
  brokenPipe: 'die',
  onError: (e) => {
    process.stderr.write(`soak: ${(e as Error).stack ?? e}\n`);
    return 1;
  },
});
