/** Corpus kind `checkpointxml`: domain checkpoint XML round trip (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatCheckpointXml, parseCheckpointXml, type DomainCheckpointDef } from '@virtkit/xml';
import { flagSet, readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';

const PARENT_NAME = '1525111885';

function creationHook(creationTime: number) {
  return (def: DomainCheckpointDef) => {
    if (!creationTime) return;
    if (def.creationTime) throw new Error('creation time was already set');
    def.creationTime = creationTime;
    if (def.name === undefined) def.name = String(creationTime);
  };
}

/** `vda_bitmap`: a blank trailing entry, then the first entry becomes vda with the checkpoint's bitmap. */
function applyVdaBitmap(def: DomainCheckpointDef): void {
  def.disks.push({ type: 'default' });
  const first = def.disks[0];
  if (first.bitmap !== undefined) throw new Error('first disk already has a bitmap');
  if (first.name === undefined) {
    first.name = 'vda';
    first.type = 'bitmap';
  } else if (first.name !== 'vda') {
    throw new Error(`first disk is '${first.name}', not vda`);
  }
  first.bitmap = def.name;
}

export async function runCheckpointCase(dir: string, row: CaseRow): Promise<CaseResult> {
  const flags = flagSet(row.columns['flags']);
  const creationTime = Number(row.columns['creation-time'] ?? '0');
  const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
  let def: DomainCheckpointDef;
  try {
    def = parseCheckpointXml(input, { redefine: flags.has('redefine'), postParse: creationHook(creationTime) });
  } catch (e) {
    if (flags.has('invalid')) return { name: row.name, ok: true };
    throw e;
  }
  if (flags.has('invalid')) return { name: row.name, ok: false, diff: 'parsing succeeded but the case is invalid\n' };
  if (flags.has('parent')) {
    if (def.parentName !== undefined) throw new Error('checkpoint already has a parent');
    def.parentName = PARENT_NAME;
  }
  if (flags.has('vda_bitmap')) applyVdaBitmap(def);
  if (flags.has('size') && def.disks.length) def.disks[0].size = 1048576n;
  const expected = await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8');
  const produced = formatCheckpointXml(def, { secure: true, size: flags.has('size') });
  return resultFromComparison(row.name, expected, produced, { relaxNewline: false });
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const results: CaseResult[] = [];
  for (const row of rows) results.push(await runCase(row.name, () => runCheckpointCase(dir, row)));
  return results;
}
