/** Corpus kind `lxcxml2xml`: LXC-driver domain XML round trip (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lxcCapabilities, parseLxcDomain } from '@virtkit/driver-lxc';
import { formatDomainXml } from '@virtkit/xml';
import { readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';

/** The README's fake LXC host: x86_64, exe guests for i686 and x86_64 run by libvirt_lxc. */
export const fakeLxcCaps = lxcCapabilities({ arch: 'x86_64', emulator: '/usr/libexec/libvirt_lxc' });

async function runLxcCase(dir: string, row: CaseRow): Promise<CaseResult> {
  const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
  const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
  const def = parseLxcDomain(input, fakeLxcCaps, false);
  return resultFromComparison(row.name, expected, formatDomainXml(def, { secure: true }));
}

export async function run(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const row of await readCases(dir)) results.push(await runCase(row.name, () => runLxcCase(dir, row)));
  return results;
}
