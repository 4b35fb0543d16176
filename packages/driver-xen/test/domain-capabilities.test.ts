/**
 * Domain capabilities of xen:///system: byte-identical to what libvirt 9.0's libxl driver formats
 * (its own expected output, tests/domaincapsdata/libxl-*.xml), and libvirt's query errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VirError } from '@virtkit/core';
import { xenDomainCapabilitiesXml, type XenDomainCapsQuery } from '../src/host/domain-capabilities';

// The firmware list of libvirt's domaincapstest (fillXenCaps).
const FIRMWARES = ['/usr/lib/xen/boot/hvmloader', '/usr/lib/xen/boot/ovmf.bin'];
const query = (machine: string | null, more: Partial<XenDomainCapsQuery> = {}): XenDomainCapsQuery => ({
  emulator: '/usr/bin/qemu-system-x86_64',
  arch: 'x86_64',
  machine,
  virttype: 'xen',
  ...more,
});
const expected = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', 'domaincaps', `${name}.xml`), 'utf8');

function failure(fn: () => unknown): [number, number, string] {
  try {
    fn();
  } catch (e) {
    if (e instanceof VirError) return [e.code, e.domain, e.message];
  }
  throw new Error('expected a VirError');
}

test.each(['xenpv', 'xenfv'])('formats machine %s as libvirt does', (machine) => {
  expect(xenDomainCapabilitiesXml(query(machine), 'x86_64', FIRMWARES)).toBe(expected(`libxl-${machine}`));
});

test('defaults to a PV guest of the host architecture; PVH guests get no device passthrough', () => {
  const pv = xenDomainCapabilitiesXml({ emulator: null, arch: null, machine: null, virttype: null }, 'x86_64', FIRMWARES);
  expect(pv).toBe(expected('libxl-xenpv'));
  const pvh = xenDomainCapabilitiesXml(query('xenpvh'), 'x86_64', FIRMWARES);
  expect(pvh).toContain('<machine>xenpvh</machine>');
  expect(pvh).not.toContain('<hostdev');
  expect(pvh).toContain("<loader supported='no'/>");
});

test('refuses what libxl cannot run with its messages', () => {
  expect(failure(() => xenDomainCapabilitiesXml(query(null, { virttype: 'kvm' }), 'x86_64', FIRMWARES))).toEqual([
    8,
    41,
    'invalid argument: unknown virttype: kvm',
  ]);
  expect(failure(() => xenDomainCapabilitiesXml(query(null, { arch: 'vax' }), 'x86_64', FIRMWARES))).toEqual([
    8,
    41,
    'invalid argument: unknown architecture: vax',
  ]);
  expect(failure(() => xenDomainCapabilitiesXml(query('pc'), 'x86_64', FIRMWARES))).toEqual([
    8,
    41,
    "invalid argument: Xen only supports 'xenpv', 'xenpvh' and 'xenfv' machines",
  ]);
});
