/** Corpus kind `networkportxml2xml`: network port XML parsed and formatted again (libvirt's virnetworkportxml2xmltest: each file is both input and expected output). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatNetworkPortXml, parseNetworkPortXml } from '@virtkit/xml';
import { readCases, resultFromComparison, runCase, type CaseResult } from './common';

export async function run(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const row of await readCases(dir)) {
    results.push(
      await runCase(row.name, async () => {
        const input = await fs.readFile(path.join(dir, `${row.name}.xml`), 'utf8');
        return resultFromComparison(row.name, input, formatNetworkPortXml(parseNetworkPortXml(input)));
      }),
    );
  }
  return results;
}
