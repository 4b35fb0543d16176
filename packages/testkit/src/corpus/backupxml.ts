/** Corpus kind `backupxml`: domain backup XML round trip (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { alignBackupDisks, formatBackupXml, parseBackupXml, type BackupDomainDisk } from '@virtkit/xml';
import { newDiskSource } from '@virtkit/xml';
import { flagSet, readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';

/** A file-backed qcow2 disk per name, as the upstream harness fakes the domain. */
function fakeDisk(name: string): BackupDomainDisk {
  return { dst: name, src: { ...newDiskSource('file'), path: `/fake/${name}.qcow2`, format: 'qcow2' } };
}

export async function runBackupCase(dir: string, row: CaseRow): Promise<CaseResult> {
  const internal = flagSet(row.columns['flags']).has('internal');
  const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
  const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
  const def = parseBackupXml(input, { internal });
  const disks = [...def.disks.map((d) => fakeDisk(d.name)), fakeDisk('vdextradisk')];
  alignBackupDisks(def, disks, 'SUFFIX');
  return resultFromComparison(row.name, expected, formatBackupXml(def, { internal }));
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const results: CaseResult[] = [];
  for (const row of rows) results.push(await runCase(row.name, () => runBackupCase(dir, row)));
  return results;
}
