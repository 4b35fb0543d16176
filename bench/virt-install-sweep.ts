/**
 * The virt-install sweep at length: `npx tsx bench/virt-install-sweep.ts [-v] [--define-only] [CASE...]`.
 * Starts a private libvirtd 9.0 (QEMU driver, session) and virtkitd, has virt-install write the
 * domain XML of each case (packages/testkit/src/virt-install-sweep.ts lists them), defines it on
 * both and starts it on both (not with `--define-only`); prints each case's verdicts (`-v`: the
 * XML and both errors), then a summary line. The npm test slice is
 * packages/testkit/test/virt-install-sweep.test.ts.
 */
import { SWEEP_CASES, startSweepPeers, sweepCase, type DefineOutcome } from '@virtkit/testkit';

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const verbose = process.argv.includes('-v');
  const start = !process.argv.includes('--define-only');
  const cases = names.length ? SWEEP_CASES.filter((c) => names.includes(c.name)) : SWEEP_CASES;
  const peers = await startSweepPeers();
  let same = 0;
  try {
    for (const c of cases) {
      const r = sweepCase(peers, c, start);
      if (r.same) same++;
      const verdict = (o?: DefineOutcome) =>
        !o
          ? '-'
          : !o.ok
            ? `refused: ${o.text.split('\n')[0]}`
            : !o.start
              ? 'defined'
              : o.start.ok
                ? 'started'
                : `defined, start failed: ${o.start.text.split('\n').join(' ')}`;
      const line = r.generateError
        ? `virt-install failed: ${r.generateError.split('\n').pop()}`
        : `libvirt ${verdict(r.libvirt)} | virtkit ${verdict(r.virtkit)}`;
      process.stdout.write(`${r.same ? 'SAME' : 'DIFF'} ${c.name}: ${line}\n`);
      if (verbose && !r.same && r.xml) process.stdout.write(r.xml);
    }
  } finally {
    await peers.stop();
  }
  process.stdout.write(`${same} same, ${cases.length - same} differ\n`);
  process.exitCode = same === cases.length ? 0 : 1;
}

void main();
