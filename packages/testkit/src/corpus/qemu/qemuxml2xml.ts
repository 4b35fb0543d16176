/** Corpus kind `qemuxml2xml`: QEMU-driver domain XML round trip, inactive and active (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import { mockRandomBytes, readCases, readOptional, resultFromComparison, runCase, type CaseResult, type CaseRow } from '../common';
import { qemuParseHooks } from '@virtkit/driver-qemu';

/** qemu.conf's nvram directory for an unprivileged driver with HOME unset (the corpus README). */
const NVRAM_DIR = '/bad-test-used-env-home/.config/libvirt/qemu/nvram';

async function runMode(dir: string, row: CaseRow, mode: 'inactive' | 'active'): Promise<CaseResult> {
  const name = `${row.name} (${mode})`;
  const input = await fs.readFile(path.join(dir, `${row.name}.in.xml`), 'utf8');
  const expected =
    (await readOptional(path.join(dir, `${row.name}.out-${mode}.xml`))) ??
    (await fs.readFile(path.join(dir, `${row.name}.out.xml`), 'utf8'));
  const inactive = mode === 'inactive';
  const def = parseDomainXml(input, { ...qemuParseHooks(inactive, { nvramDir: NVRAM_DIR }), randomBytes: mockRandomBytes });
  return resultFromComparison(name, expected, formatDomainXml(def, { inactive, secure: true }));
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const results: CaseResult[] = [];
  for (const row of rows) {
    for (const mode of ['inactive', 'active'] as const) {
      results.push(await runCase(`${row.name} (${mode})`, () => runMode(dir, row, mode)));
    }
  }
  return results;
}
