/** Corpus kind `networkxml2xml`: virtual network XML round trip (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatNetworkXml, parseNetworkXml } from '@virtkit/xml';
import { readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';

export async function runNetworkCase(dir: string, row: CaseRow): Promise<CaseResult> {
  const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
  if (row.columns['expect'] === 'parse-error') {
    try {
      parseNetworkXml(input);
    } catch {
      return { name: row.name, ok: true };
    }
    return { name: row.name, ok: false, diff: 'parsing succeeded but was expected to fail\n' };
  }
  const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
  const inactive = row.columns['format-flags'] === 'VIR_NETWORK_XML_INACTIVE';
  return resultFromComparison(row.name, expected, formatNetworkXml(parseNetworkXml(input), { inactive }));
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const results: CaseResult[] = [];
  for (const row of rows) results.push(await runCase(row.name, () => runNetworkCase(dir, row)));
  return results;
}
