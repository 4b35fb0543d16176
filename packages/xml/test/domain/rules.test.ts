/**
 * libvirt 9.0's generic domain rules (domain_postparse.c, domain_conf.c, domain_validate.c):
 * each refused input gets libvirt's error code, domain and message.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseDomainXml } from '../../src/domain/index';

const domain = (body: string, name = 't') => `<domain type='qemu'>
  <name>${name}</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='MiB'>1</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  ${body}
</domain>`;

function refusal(xml: string): [number, number, string] {
  try {
    parseDomainXml(xml, { inactive: true });
  } catch (e) {
    const v = e as VirError;
    return [v.code, v.domain, v.message];
  }
  throw new Error('expected the definition to be refused');
}

describe('domain rules', () => {
  it("refuses a name containing '/' (no virtkit driver has VIR_DOMAIN_DEF_FEATURE_NAME_SLASH)", () => {
    expect(refusal(domain('', 'foo/bar'))).toEqual([
      ErrorNumber.VIR_ERR_XML_ERROR,
      ErrorDomain.VIR_FROM_DOMAIN,
      "XML error: name foo/bar cannot contain '/'",
    ]);
  });
});
