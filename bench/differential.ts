/**
 * The differential suite at length:
 * `npx tsx bench/differential.ts [FIRST_SEED] [COUNT] [-v] [--scope=NAME,...]`.
 * Generates COUNT domain documents from libvirt's schema (seeds FIRST_SEED on), defines each on
 * libvirt 9.0's test:///default and on virtkit's test driver, and prints every case where they
 * differ (`-v`: with the input and both outputs), then a summary line. `--scope` limits the
 * elements under `<domain>` and `<devices>` to those named (`devices` must be named for any
 * device to appear; the npm test slice is packages/driver-test/test/differential.test.ts).
 */
import { parseUri } from '@virtkit/core';
import { driver } from '@virtkit/driver-test';
import { connectionOutcome, describeOutcome, domainGrammar, runDifferential, unifiedDiff } from '@virtkit/testkit';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const scopeArg = process.argv.find((a) => a.startsWith('--scope='));
  const scope = scopeArg ? new Set(scopeArg.slice('--scope='.length).split(',')) : undefined;
  const verbose = process.argv.includes('-v');
  const first = Number(args[0] ?? 1);
  const count = Number(args[1] ?? 500);
  const conn = await driver.open(parseUri('test:///default'), { readOnly: false });
  const virtkit = connectionOutcome(conn);
  const reports = await runDifferential(domainGrammar(), first, count, virtkit, scope);
  const tally = { same: 0, excluded: 0, differs: 0 };
  for (const r of reports) {
    tally[r.verdict]++;
    if (r.verdict !== 'differs') continue;
    process.stdout.write(`DIFF seed ${r.seed}: libvirt ${describeOutcome(r.libvirt)} | virtkit ${describeOutcome(r.virtkit)}\n`);
    if (!verbose) continue;
    process.stdout.write(r.xml);
    if (r.libvirt.ok && r.virtkit.ok) process.stdout.write(unifiedDiff(r.libvirt.xml, r.virtkit.xml, 'libvirt', 'virtkit'));
  }
  const accepted = reports.filter((r) => r.libvirt.ok).length;
  process.stdout.write(
    `${tally.same} same, ${tally.excluded} excluded, ${tally.differs} differ (libvirt accepted ${accepted} of ${count})\n`,
  );
  process.exitCode = tally.differs ? 1 : 0;
}

void main();
