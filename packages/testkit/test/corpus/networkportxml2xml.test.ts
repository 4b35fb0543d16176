import * as path from 'node:path';
import { ErrorNumber, VirError } from '@virtkit/core';
import { formatNetworkPortXml, parseNetworkPortXml } from '@virtkit/xml';
import { run } from '../../src/corpus/networkportxml2xml';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus/networkportxml2xml');

const HEAD = `<networkport>\n  <uuid>5d744f21-ba4a-4d6e-bdb2-30a35ff3207d</uuid>\n  <owner>\n    <name>memtest</name>\n    <uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid>\n  </owner>\n`;
const MAC = `  <mac address='52:54:00:7b:35:93'/>\n`;

function refusal(xml: string): { code: number; message: string } {
  try {
    parseNetworkPortXml(xml);
  } catch (e) {
    if (e instanceof VirError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('accepted');
}

describe('networkportxml2xml corpus', () => {
  it("passes every case of libvirt's virnetworkportxml2xmltest", async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(7);
    expect(results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`)).toEqual([]);
  });

  it('writes mode vepa for a direct plug without one, and upper-case MACs lower-cased', () => {
    const out = formatNetworkPortXml(
      parseNetworkPortXml(`${HEAD}  <mac address='52:54:00:7B:35:93'/>\n  <plug type='direct' dev='eth0'/>\n</networkport>\n`),
    );
    expect(out).toBe(`${HEAD}${MAC}  <plug type='direct' dev='eth0' mode='vepa'/>\n</networkport>\n`);
  });

  it.each([
    ['no uuid', `<networkport><owner><name>a</name></owner></networkport>`, ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'network port has no uuid'],
    [
      'no owner name',
      `<networkport><uuid>5d744f21-ba4a-4d6e-bdb2-30a35ff3207d</uuid></networkport>`,
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      'network port has no owner name',
    ],
    ['no mac', `${HEAD}</networkport>`, ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'network port has no mac'],
    ['a bad mac', `${HEAD}<mac address='52:54'/></networkport>`, ErrorNumber.VIR_ERR_INTERNAL_ERROR, "Unable to parse MAC '52:54'"],
    [
      'a bridge plug without bridge',
      `${HEAD}${MAC}<plug type='bridge'/></networkport>`,
      ErrorNumber.VIR_ERR_XML_ERROR,
      'Missing network port bridge name',
    ],
    [
      'a PCI plug without address',
      `${HEAD}${MAC}<plug type='hostdev-pci'/></networkport>`,
      ErrorNumber.VIR_ERR_XML_ERROR,
      'Missing network port PCI address',
    ],
    [
      'an unknown plug type',
      `${HEAD}${MAC}<plug type='tap'/></networkport>`,
      ErrorNumber.VIR_ERR_XML_ERROR,
      "Invalid value for attribute 'type' in element 'plug': 'tap'.",
    ],
  ])('refuses a port with %s as libvirt does', (_what, xml, code, detail) => {
    const e = refusal(xml);
    expect(e.code).toBe(code);
    expect(e.message).toContain(detail);
  });
});
