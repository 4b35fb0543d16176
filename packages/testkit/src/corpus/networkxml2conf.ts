/** Corpus kind `networkxml2conf`: network XML → dnsmasq configuration (see the corpus README). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { dnsmasqContext, networkDnsmasqConfContents, parseDnsmasqVersion, parseNetworkXml } from '@virtkit/xml';
import { compareExpected, readCases, runCase, type CaseResult, type CaseRow } from './common';

/** The harness's dnsmasq: version 2.67, configuration directory /var/lib/libvirt/dnsmasq. */
const CONFIG_DIR = '/var/lib/libvirt/dnsmasq';

export async function runConfCase(dir: string, row: CaseRow): Promise<CaseResult> {
  parseDnsmasqVersion('Dnsmasq version 2.67\n');
  const def = parseNetworkXml(await fs.readFile(path.join(dir, `${row.name}.xml`), 'utf8'));
  const files = networkDnsmasqConfContents(def, { ctx: dnsmasqContext(def.name, CONFIG_DIR) });
  const expected = await fs.readFile(path.join(dir, `${row.name}.conf`), 'utf8');
  const diffs: string[] = [];
  const confDiff = compareExpected(expected, files.conf);
  if (confDiff) diffs.push(confDiff);
  if (row.columns['dhcp-hostsfile'] === 'hostsfile') {
    const hosts = await fs.readFile(path.join(dir, `${row.name}.hostsfile`), 'utf8');
    const hostsDiff = compareExpected(hosts, files.hostsfile ?? '');
    if (hostsDiff) diffs.push(`hostsfile:\n${hostsDiff}`);
  } else if (files.hostsfile !== undefined) {
    // Upstream fails a case that writes DHCP hosts it has no expected hosts file for.
    diffs.push(`hostsfile produced but none expected:\n${files.hostsfile}`);
  }
  return diffs.length ? { name: row.name, ok: false, diff: diffs.join('') } : { name: row.name, ok: true };
}

export async function run(dir: string): Promise<CaseResult[]> {
  const rows = await readCases(dir);
  const results: CaseResult[] = [];
  for (const row of rows) results.push(await runCase(row.name, () => runConfCase(dir, row)));
  return results;
}
