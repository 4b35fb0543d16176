/**
 * The virt-install sweep at length: `npx tsx bench/virt-install-sweep.ts [-v] [CASE...]`.
 * Starts a private libvirtd 9.0 (QEMU driver, session) and virtkitd, has virt-install write the
 * domain XML of each case (packages/testkit/src/virt-install-sweep.ts lists them) and defines it
 * on both; prints each case's verdicts (`-v`: the XML and both errors), then a summary line. The
 * npm test slice is packages/testkit/test/virt-install-sweep.test.ts.
 */
import { SWEEP_CASES, startSweepPeers, sweepCase } from '@virtkit/testkit';

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const verbose = process.argv.includes('-v');
  const cases = names.length ? SWEEP_CASES.filter((c) => names.includes(c.name)) : SWEEP_CASES;
  const peers = await startSweepPeers();
  let same = 0;
  try {
    for (const c of cases) {
      const r = sweepCase(peers, c);
      if (r.same) same++;
      const verdict = (o?: { ok: boolean; text: string }) => (!o ? '-' : o.ok ? 'defined' : `refused: ${o.text.split('\n')[0]}`);
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
