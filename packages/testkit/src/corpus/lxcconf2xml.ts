/** Corpus kind `lxcconf2xml`: LXC native configurations (legacy and 3.0 keys) → domain XML (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lxcConfigToDomain } from '@virtkit/driver-lxc';
import { formatDomainXml } from '@virtkit/xml';
import { flagSet, readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';
import { fakeLxcCaps } from './lxcxml2xml';

/** The UUID the upstream harness gives every converted domain. */
const CASE_UUID = 'c7a5fdbd-edaf-9455-926a-d65c16db1809';

const VARIANT_FILES: Record<string, string> = { legacy: '', v3: '-v3' };

async function runVariant(dir: string, row: CaseRow, variant: string): Promise<CaseResult> {
  const name = `${row.name} ${variant}`;
  const config = await fs.readFile(path.join(dir, `${row.name}${VARIANT_FILES[variant] ?? `-${variant}`}.config`), 'utf8');
  if (row.columns['expect'] === 'error') {
    try {
      lxcConfigToDomain(config, fakeLxcCaps);
    } catch {
      return { name, ok: true };
    }
    return { name, ok: false, diff: 'the conversion succeeded but the case expects an error\n' };
  }
  const def = lxcConfigToDomain(config, fakeLxcCaps);
  def.uuid = CASE_UUID;
  const expected = await fs.readFile(path.join(dir, `${row.name}.xml`), 'utf8');
  return resultFromComparison(name, expected, formatDomainXml(def, {}));
}

export async function run(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const row of await readCases(dir)) {
    for (const variant of flagSet(row.columns['config-variants']))
      results.push(await runCase(`${row.name} ${variant}`, () => runVariant(dir, row, variant)));
  }
  return results;
}
