/**
 * vsh against virsh 9.0 as whole processes (spawn to exit), for `start`, `list` and `dumpxml`:
 * on test:///default in the process itself, and against a daemon serving test:///default
 * (virtkitd, and libvirtd 9.0 when it is installed) over its unix socket. The two programs'
 * runs are interleaved round by round so that load drift hits both alike; medians are printed,
 * of wall time and of CPU time (user + system, from GNU time: the steadier figure on a loaded
 * machine), with `node -e 0` measured alongside as the floor of any Node program.
 *
 *     npx -y pnpm@9 -s --filter @virtkit/cli build   # vsh runs the built CLI
 *     npx tsx bench/vsh-virsh.ts [ROUNDS]            # default 15
 *     VSH=/other/checkout/bin/vsh npx tsx bench/vsh-virsh.ts   # another build of vsh
 *
 * test:///default's state lives while a connection to it is open, in the process or in the
 * daemon, so every process starts from the driver's fresh state, where `test` runs: `start`
 * is timed as `destroy test; start test` in one process.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { missing, startDaemon, startLibvirtd } from '@virtkit/testkit';

const VSH = process.env.VSH ?? path.resolve(__dirname, '../bin/vsh');
const GNU_TIME = '/usr/bin/time';
const PROGRAMS: Array<[string, string]> = [
  ['vsh', VSH],
  ['virsh', 'virsh'],
];

interface Run {
  wall: number;
  cpu: number;
}

/** One timed run of `argv`, wall and CPU ms; it must succeed, or the figure would time an error path. */
function run(argv: string[]): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ['-f', '%U %S', ...argv], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: (user! + sys!) * 1000 };
}

const timed = (program: string, uri: string, command: string) => run([program, '-c', uri, command]);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Case {
  name: string;
  command: string;
}

const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;

function measure(uri: string, cases: Case[], rounds: number): string[] {
  const lines: string[] = [];
  for (const c of cases) {
    const times = new Map<string, Run[]>(PROGRAMS.map(([n]) => [n, []]));
    // One warm-up run each (page cache, JIT caches), then interleaved rounds.
    for (const [, p] of PROGRAMS) timed(p, uri, c.command);
    for (let i = 0; i < rounds; i++) {
      for (const [n, p] of i % 2 ? [...PROGRAMS].reverse() : PROGRAMS) times.get(n)!.push(timed(p, uri, c.command));
    }
    const [vsh, virsh] = ['vsh', 'virsh'].map((n) => times.get(n)!);
    const wall = [vsh!, virsh!].map((rs) => median(rs.map((r) => r.wall)));
    const cpu = [vsh!, virsh!].map((rs) => median(rs.map((r) => r.cpu)));
    lines.push(
      `${c.name.padEnd(10)} wall: vsh ${ms(wall[0]!)}  virsh ${ms(wall[1]!)}  ratio ${(wall[0]! / wall[1]!).toFixed(2)}` +
        `   cpu: vsh ${ms(cpu[0]!)}  virsh ${ms(cpu[1]!)}  ratio ${(cpu[0]! / cpu[1]!).toFixed(2)}`,
    );
  }
  return lines;
}

/** `node -e 0`: what any Node program pays before its first line runs. */
function floor(rounds: number): string {
  const rs = Array.from({ length: rounds + 1 }, () => run([process.execPath, '-e', '0'])).slice(1);
  return `node -e 0  wall: ${ms(median(rs.map((r) => r.wall)))}   cpu: ${ms(median(rs.map((r) => r.cpu)))}`;
}

const CASES: Case[] = [
  { name: 'start', command: 'destroy test; start test' },
  { name: 'list', command: 'list --all' },
  { name: 'dumpxml', command: 'dumpxml test' },
];

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 15);
  const out: string[] = [`vsh vs virsh 9.0, whole processes, median of ${rounds} interleaved rounds (node ${process.version})`];
  out.push(`vsh: ${VSH}`, floor(rounds));
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
