import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { corpusRunner } from '../../src/corpus/index';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus');

describe.each([
  ['networkxml2xml', 24],
  ['networkxml2conf', 15],
])('corpus %s', (kind, count) => {
  it('passes every case', async () => {
    const results = await corpusRunner(kind)!(path.join(FIXTURES, kind));
    expect(results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff}`)).toEqual([]);
    expect(results).toHaveLength(count);
  });
});

describe('networkxml2conf', () => {
  it('fails a case whose hosts file differs', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netconf-'));
    const src = path.join(FIXTURES, 'networkxml2conf');
    for (const ext of ['xml', 'conf']) await fs.copyFile(path.join(src, `leasetime-seconds.${ext}`), path.join(dir, `c.${ext}`));
    await fs.writeFile(path.join(dir, 'c.hostsfile'), '00:16:3e:77:e2:ed,192.168.122.10,a.example.com,1h\n');
    await fs.writeFile(path.join(dir, 'cases.tsv'), '# case\tdhcp-hostsfile\nc\thostsfile\n');
    const [result] = await corpusRunner('networkxml2conf')!(dir);
    expect(result!.ok).toBe(false);
    expect(result!.diff).toContain('hostsfile:');
    await fs.rm(dir, { recursive: true });
  });

  it('fails a case that writes DHCP hosts it expects no hosts file for', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netconf-'));
    const src = path.join(FIXTURES, 'networkxml2conf');
    for (const ext of ['xml', 'conf']) await fs.copyFile(path.join(src, `leasetime-seconds.${ext}`), path.join(dir, `c.${ext}`));
    await fs.writeFile(path.join(dir, 'cases.tsv'), '# case\tdhcp-hostsfile\nc\t-\n');
    const [result] = await corpusRunner('networkxml2conf')!(dir);
    expect(result!.ok).toBe(false);
    expect(result!.diff).toContain('hostsfile produced but none expected');
    await fs.rm(dir, { recursive: true });
  });
});
