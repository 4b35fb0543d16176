/**
 * libvirt 9.0's own virsh tests (test/fixtures/libvirt-virsh) against bin/vsh, as libvirt's meson
 * runs them against virsh: each of the 16 tests/virsh-* scripts and each case of tests/virshtest.c
 * is one test. The ones vsh does not pass yet are listed below with the reason and run as
 * `test.failing`, so a regression fails its test and so does a fix that leaves the list stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LIBVIRT_TESTS_TREE,
  VIRSH_SCRIPTS,
  describeUnless,
  missing,
  runVirshCase,
  runVirshScript,
  toolsTree,
  virshtestCases,
  type VirshOutcome,
} from '@virtkit/testkit';

const VSH = path.resolve(__dirname, '../../bin/vsh');

/** What vsh does not pass yet, and why. */
const KNOWN_FAILURES: Record<string, string> = {};

function expectPass(o: VirshOutcome): void {
  if (o.result !== 'pass') throw new Error(`${o.name}: ${o.result}\n${o.detail}`);
}

const why = missing('cpp');
describeUnless(why)("libvirt 9.0's virsh tests against vsh", () => {
  const tree = why ? '' : toolsTree(VSH);
  afterAll(() => {
    if (tree) fs.rmSync(tree, { recursive: true, force: true });
  });

  const cases = why ? [] : virshtestCases(LIBVIRT_TESTS_TREE);
  test('virshtest.c has its 77 cases', () => {
    expect(cases).toHaveLength(77);
  });
  for (const c of cases) {
    const run = KNOWN_FAILURES[c.name] ? test.failing : test;
    run(`virshtest: ${c.name}`, () => expectPass(runVirshCase(path.join(tree, 'tools/virsh'), c)), 60000);
  }
  for (const name of VIRSH_SCRIPTS) {
    const run = KNOWN_FAILURES[name] ? test.failing : test;
    run(`script: ${name}`, async () => expectPass(await runVirshScript(LIBVIRT_TESTS_TREE, tree, name, 240000)), 300000);
  }
});
