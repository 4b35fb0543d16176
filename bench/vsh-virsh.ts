/**
 * vsh against virsh 9.0 as whole processes (spawn to exit), for `start`, `list` and `dumpxml`:
 * on test:///default in the process itself, and against a daemon serving test:///default
 * (virtkitd, and libvirtd 9.0 when it is installed) over its unix socket. The two programs'
 * runs are interleaved round by round so that load drift hits both alike; medians are printed.
 *
 *     npx -y pnpm@9 -s --filter @virtkit/cli build   # vsh runs the built CLI
 *     npx tsx bench/vsh-virsh.ts [ROUNDS]            # default 15
 *
 * test:///default's state lives while a connection to it is open, in the process or in the
 * daemon, so every process starts from the driver's fresh state, where `test` runs: `start`
 * is timed as `destroy test; start test` in one process.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { missing, startDaemon, startLibvirtd } from '@virtkit/testkit';

const VSH = path.resolve(__dirname, '../bin/vsh');
const PROGRAMS: Array<[string, string]> = [
  ['vsh', VSH],
  ['virsh', 'virsh'],
];

/** One timed run; it must succeed, or the figure would time an error path. */
function timed(program: string, uri: string, command: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(program, ['-c', uri, command], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${program} -c ${uri} '${command}' failed: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Case {
  name: string;
  command: string;
}

function measure(uri: string, cases: Case[], rounds: number): string[] {
  const lines: string[] = [];
  for (const c of cases) {
    const times = new Map<string, number[]>(PROGRAMS.map(([n]) => [n, []]));
    // One warm-up run each (page cache, JIT caches), then interleaved rounds.
    for (const [, p] of PROGRAMS) timed(p, uri, c.command);
    for (let i = 0; i < rounds; i++) {
      for (const [n, p] of i % 2 ? [...PROGRAMS].reverse() : PROGRAMS) times.get(n)!.push(timed(p, uri, c.command));
    }
    const vsh = median(times.get('vsh')!);
    const virsh = median(times.get('virsh')!);
    lines.push(
      `${c.name.padEnd(10)} vsh ${vsh.toFixed(1).padStart(7)} ms   virsh ${virsh.toFixed(1).padStart(7)} ms   ratio ${(vsh / virsh).toFixed(2)}`,
    );
  }
  return lines;
}

const CASES: Case[] = [
  { name: 'start', command: 'destroy test; start test' },
  { name: 'list', command: 'list --all' },
  { name: 'dumpxml', command: 'dumpxml test' },
];

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 15);
  const out: string[] = [`vsh vs virsh 9.0, whole processes, median of ${rounds} interleaved rounds (node ${process.version})`];
  out.push('test:///default (in-process driver)', ...measure('test:///default', CASES, rounds));
  const virtkitd = await startDaemon();
  try {
    out.push('virtkitd, test:///default over a unix socket', ...measure(`test+unix:///default?socket=${virtkitd.sock}`, CASES, rounds));
  } finally {
    await virtkitd.stop();
  }
  const skip = missing('libvirtd');
  if (skip) out.push(`libvirtd: skipped (${skip})`);
  else {
    const libvirtd = await startLibvirtd();
    try {
      out.push(
        'libvirtd 9.0, test:///default over a unix socket',
        ...measure(`test+unix:///default?socket=${libvirtd.sock}`, CASES, rounds),
      );
    } finally {
      await libvirtd.stop();
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
