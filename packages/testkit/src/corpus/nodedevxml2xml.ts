/** Corpus kind `nodedevxml2xml`: node device XML parsed and formatted again (libvirt's nodedevxml2xmltest). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatNodeDeviceXml, parseNodeDeviceXml } from '@virtkit/xml';
import { readCases, resultFromComparison, runCase, type CaseResult } from './common';

export async function run(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const row of await readCases(dir)) {
    results.push(
      await runCase(row.name, async () => {
        const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
        const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
        return resultFromComparison(row.name, expected, formatNodeDeviceXml(parseNodeDeviceXml(input)));
      }),
    );
  }
  return results;
}
