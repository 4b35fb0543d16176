/**
 * Interrupted domain starts, the figure: 20 trials (or N) over three ways to interrupt a start at
 * points spread over it; prints orphans, duplicates and QEMUs surviving destroy.
 *
 *     npx tsx bench/soak/interrupted-start.ts [trials=20] [--checkout DIR]
 *
 * `--checkout` runs another tree's bin/vsh and bin/virtkitd (e.g. main, for the figure before a
 * change).
 */
import * as path from 'node:path';
import { type InterruptMode, InterruptedStartBench, faults } from '@virtkit/testkit';

const MODES: InterruptMode[] = ['vsh-sigkill', 'vsh-sigint', 'daemon-sigkill'];
const DELAYS = [0, 5, 20, 60, 150, 400, 1000];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--checkout');
  const checkout = at >= 0 ? path.resolve(args.splice(at, 2)[1]!) : path.resolve(__dirname, '..', '..');
  const trials = Number(args[0] ?? 20);
  const bench = new InterruptedStartBench(checkout);
  const sum = { orphans: 0, duplicates: 0, survivedDestroy: 0 };
  let interrupted = 0;
  try {
    for (let i = 0; i < trials; i++) {
      const r = await bench.trial(MODES[i % MODES.length]!, DELAYS[i % DELAYS.length]!);
      const f = faults(r);
      sum.orphans += f.orphans;
      sum.duplicates += f.duplicates;
      sum.survivedDestroy += f.survivedDestroy;
      if (r.interrupted) interrupted++;
      console.log(
        `${String(i + 1).padStart(2)} ${r.mode.padEnd(14)} +${String(r.delayMs).padStart(2)} ms ` +
          `${r.interrupted ? 'interrupted' : 'finished   '} state=${r.stateAfter.padEnd(8)} qemus: after=${r.qemusAfter} ` +
          `restart=${r.qemusAfterRestart} destroy=${r.qemusAfterDestroy}`,
      );
    }
  } finally {
    await bench.close();
  }
  console.log(
    `checkout ${checkout}: ${trials} trials (${interrupted} interrupted before the starter exited): ` +
      `orphan QEMUs ${sum.orphans}, second QEMUs after a restart ${sum.duplicates}, QEMUs surviving destroy ${sum.survivedDestroy}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
