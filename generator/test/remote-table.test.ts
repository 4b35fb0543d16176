/**
 * The remote procedure table carries what the wire alone cannot say: each call's API return type
 * (so a `bool` sent as an int comes back a boolean, from the same api/ entry that types the SPI)
 * and the permissions checked only with some flags, resolved to flag masks.
 */
import * as path from 'node:path';
import { flagPermissions, parseAclEntry, unconditionalPermissions } from '../src/acl';
import { loadApi } from '../src/load';
import { spiType } from '../src/types';
import { validateModel } from '../src/validate';
import { PROCEDURES } from '@virtkit/protocol';

const model = loadApi(path.resolve(__dirname, '..', '..'));

test('every procedure returns what its call returns, and the SPI types booleans from the same entry', () => {
  for (const call of model.calls.filter((c) => c.remote)) {
    const p = PROCEDURES.find((x) => x.c === call.c)!;
    expect([call.c, p.returns]).toEqual([call.c, call.returns]);
    expect([call.c, spiType(call.returns, model) === 'boolean']).toEqual([call.c, p.returns === 'bool']);
  }
});

test('libvirt-style flag-conditional ACL entries', () => {
  expect(parseAclEntry('domain:read')).toEqual({ permission: 'domain:read', flagNames: [] });
  expect(parseAclEntry('domain:save:VIR_DOMAIN_AFFECT_CONFIG|VIR_DOMAIN_AFFECT_LIVE')).toEqual({
    permission: 'domain:save',
    flagNames: ['VIR_DOMAIN_AFFECT_CONFIG', 'VIR_DOMAIN_AFFECT_LIVE'],
  });
  const getXml = model.calls.find((c) => c.c === 'virDomainGetXMLDesc')!;
  expect(unconditionalPermissions(getXml)).toEqual(['domain:read']);
  expect(flagPermissions(getXml, model)).toEqual([{ permission: 'domain:read_secure', flagNames: ['VIR_DOMAIN_XML_SECURE'], mask: 1 }]);
});

test("a conditional flag must belong to the call's flags enum", () => {
  const getXml = model.calls.find((c) => c.c === 'virDomainGetXMLDesc')!;
  const broken = { ...model, calls: [{ ...getXml, acl: ['domain:read', 'domain:read_secure:VIR_DOMAIN_SNAPSHOT_XML_SECURE'] }] };
  expect(validateModel(broken)).toEqual([
    expect.stringContaining('ACL flag VIR_DOMAIN_SNAPSHOT_XML_SECURE is not a member of DomainXMLFlags'),
  ]);
});
