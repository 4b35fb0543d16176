/** Corpus kind `snapshotxml`: domain snapshot XML round trip (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatSnapshotXml, parseSnapshotXml, type DomainSnapshotDef } from '@virtkit/xml';
import { flagSet, readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';

/** The harness's creation-time hook: stamp a fresh snapshot with the case's time and name. */
function creationHook(creationTime: number) {
  return (def: DomainSnapshotDef) => {
    if (!creationTime) return;
    if (def.creationTime) throw new Error('creation time was already set');
    def.creationTime = creationTime;
    if (def.name === undefined) def.name = String(creationTime);
  };
}

export async function runSnapshotCase(dir: string, row: CaseRow): Promise<CaseResult> {
  const flags = flagSet(row.columns['flags']);
  const creationTime = Number(row.columns['creation-time'] ?? '0');
  const uuid = row.columns['domain-uuid'];
  const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
  const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
  const internal = flags.has('internal');
  const { def, current } = parseSnapshotXml(input, {
    redefine: flags.has('redefine'),
    internal,
    postParse: creationHook(creationTime),
    validateName: false,
  });
  if (flags.has('running')) {
    if (def.state !== 'nostate') throw new Error('parsed snapshot already has a state');
    def.state = 'running';
  }
  const produced = formatSnapshotXml(def, {
    domainUuid: uuid,
    secure: true,
    internal,
    current: internal && current,
  });
  return resultFromComparison(row.name, expected, produced);
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const results: CaseResult[] = [];
  for (const row of rows) results.push(await runCase(row.name, () => runSnapshotCase(dir, row)));
  return results;
}
