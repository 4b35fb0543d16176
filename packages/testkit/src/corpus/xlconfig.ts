/** Corpus kind `xlconfig`: xl.cfg ⇄ domain XML in both directions (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { domainXmlToXlConfig, x86XenCaps, xlConfigToDomainXml } from '@virtkit/driver-xen';
import { flagSet, readCases, resultFromComparison, runCase, type CaseResult, type CaseRow } from './common';

/** The README's fake host: x86_64 guests, upstream firmware directory, a core2duo CPU (vmx). */
const caps = x86XenCaps('/usr/lib/xen/boot', ['vmx']);

async function runXlCase(dir: string, row: CaseRow): Promise<CaseResult[]> {
  const directions = flagSet(row.columns['directions']);
  let xml = await fs.readFile(path.join(dir, `${row.name}.xml`), 'utf8');
  if (flagSet(row.columns['notes']).has('replace-firmware-dir')) xml = xml.replaceAll('/LIBXL_FIRMWARE_DIR', caps.firmwareDir);
  const cfg = await fs.readFile(path.join(dir, `${row.name}.cfg`), 'utf8');
  const results: CaseResult[] = [];
  if (directions.has('cfg2xml'))
    results.push(
      await runCase(`${row.name} cfg2xml`, async () => resultFromComparison(`${row.name} cfg2xml`, xml, xlConfigToDomainXml(cfg, caps))),
    );
  if (directions.has('xml2cfg'))
    results.push(
      await runCase(`${row.name} xml2cfg`, async () => resultFromComparison(`${row.name} xml2cfg`, cfg, domainXmlToXlConfig(xml))),
    );
  return results;
}

export async function run(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const row of await readCases(dir)) results.push(...(await runXlCase(dir, row)));
  return results;
}
