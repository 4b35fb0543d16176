/** Corpus kind `storagepoolxml2xml`: pool XML parsed and formatted again (libvirt's storagepoolxml2xmltest). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatStoragePoolXml, parseStoragePoolXml } from '@virtkit/xml';
import { readCases, resultFromComparison, runCase, type CaseResult } from './common';

export async function run(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const row of await readCases(dir)) {
    results.push(
      await runCase(row.name, async () => {
        const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
        const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
        return resultFromComparison(row.name, expected, formatStoragePoolXml(parseStoragePoolXml(input)));
      }),
    );
  }
  return results;
}
