/** Corpus kind `genericxml2xml`: domain XML round trip with no hypervisor driver (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import { readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';

export async function runGenericCase(dir: string, row: CaseRow): Promise<CaseResult> {
  const kind = row.columns['kind'] ?? 'same';
  const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
  if (kind === 'fail-live' || kind === 'fail-inactive') {
    try {
      parseDomainXml(input, { inactive: kind === 'fail-inactive' });
    } catch {
      return { name: row.name, ok: true };
    }
    return { name: row.name, ok: false, diff: 'parsing succeeded but the case expects a failure\n' };
  }
  const def = parseDomainXml(input, { inactive: false });
  const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
  return resultFromComparison(row.name, expected, formatDomainXml(def, { secure: true }));
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const results: CaseResult[] = [];
  for (const row of rows) results.push(await runCase(row.name, () => runGenericCase(dir, row)));
  return results;
}
