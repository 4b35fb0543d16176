import * as path from 'node:path';
import { formatSecretXml, parseSecretXml } from '@virtkit/xml';
import { run } from '../../src/corpus/secretxml2xml';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus/secretxml2xml');

describe('secretxml2xml corpus', () => {
  it('passes every case', async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(2);
    expect(results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`)).toEqual([]);
  });

  it.each([
    ['volume', `<usage type='volume'>\n    <volume>/var/lib/libvirt/images/image.img</volume>\n  </usage>\n`],
    ['ceph', `<usage type='ceph'>\n    <name>CephCephCephCeph &amp; secret</name>\n  </usage>\n`],
    ['tls', `<usage type='tls'>\n    <name>mumblyfratz</name>\n  </usage>\n`],
  ])('round-trips a %s secret in the shape libvirt writes', (_kind, usage) => {
    const xml = `<secret ephemeral='yes' private='no'>\n  <uuid>f52a81b2-424e-490c-823d-6bd4235bc57e</uuid>\n  <description>d &lt; e</description>\n  ${usage}</secret>\n`;
    expect(formatSecretXml(parseSecretXml(xml))).toBe(xml);
  });

  it('writes the defaults libvirt fills in: no/no flags, a lower-case dashed UUID', () => {
    const out = formatSecretXml(parseSecretXml('<secret><uuid>F52A81B2424E490C823D6BD4235BC57E</uuid></secret>'));
    expect(out).toBe(`<secret ephemeral='no' private='no'>\n  <uuid>f52a81b2-424e-490c-823d-6bd4235bc57e</uuid>\n</secret>\n`);
  });
});
