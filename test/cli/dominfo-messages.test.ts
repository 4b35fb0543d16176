/**
 * dominfo's `Messages:` lines (virDomainGetMessages). test:///default's domain has none, so a
 * driver that is the test driver plus two messages shows the layout: the label on the first line,
 * blank-padded continuation lines after it.
 */
import { parseUri, registerDriver, type DriverConnection } from '@virtkit/core';
import { driver as testDriver } from '@virtkit/driver-test';
import { runVsh } from './harness';

const MESSAGES = ['tainted: custom monitor control', 'deprecated configuration: machine type pc-1.0'];

registerDriver({
  name: 'tainted-test',
  schemes: ['tainted'],
  async open(_uri, opts): Promise<DriverConnection> {
    const conn = await testDriver.open(parseUri('test:///default'), opts);
    return Object.assign(Object.create(conn) as DriverConnection, { domainGetMessages: async () => MESSAGES });
  },
});

test('dominfo lists the messages after the security lines', async () => {
  const r = await runVsh(['-c', 'tainted:///', 'dominfo test']);
  expect(r.stdout.split('\n').slice(-6)).toEqual([
    'Security DOI:   ',
    'Security label: libvirt-test (enforcing)',
    'Messages:       tainted: custom monitor control',
    '                deprecated configuration: machine type pc-1.0',
    '',
    '',
  ]);
  expect(r.code).toBe(0);
});
