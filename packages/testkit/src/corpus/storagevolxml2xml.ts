/**
 * Corpus kind `storagevolxml2xml`: volume XML parsed against its pool and formatted again
 * (libvirt's storagevolxml2xmltest; the `parse-flags` column may name VIR_VOL_XML_PARSE_NO_CAPACITY).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatStorageVolXml, parseStoragePoolXml, parseStorageVolXml } from '@virtkit/xml';
import { readCases, resultFromComparison, runCase, type CaseResult } from './common';

export async function run(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const row of await readCases(dir)) {
    results.push(
      await runCase(row.name, async () => {
        const read = (suffix: string) => fs.readFile(path.join(dir, `${row.name}.${suffix}`), 'utf8');
        const pool = parseStoragePoolXml(await read('pool.xml'));
        const noCapacity = (row.columns['parse-flags'] ?? '-').includes('VIR_VOL_XML_PARSE_NO_CAPACITY');
        const vol = parseStorageVolXml(await read('in.xml'), pool.type, { noCapacity });
        return resultFromComparison(row.name, await read('out.xml'), formatStorageVolXml(vol, pool.type));
      }),
    );
  }
  return results;
}
