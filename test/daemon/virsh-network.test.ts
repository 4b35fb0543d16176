/**
 * Real virsh against virtkitd, network commands: the procedures travel through the generated
 * tables (remote driver side in virsh, dispatch in virtkitd) and print what `virsh -c
 * test:///default` prints with libvirt's own test driver.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeIf, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

const NET_XML = `<network>
  <name>n1</name>
  <uuid>0b8e0f5c-6c05-4c3e-9a56-5f5b2f9c0a01</uuid>
  <bridge name='virbr5'/>
  <ip address='10.5.0.1' prefix='24'>
    <dhcp>
      <range start='10.5.0.2' end='10.5.0.254'/>
    </dhcp>
  </ip>
</network>
`;

describeIf('virsh 9.0')('virsh net-* against virtkitd', () => {
  let daemon: RunningDaemon;
  let uri: string;

  beforeAll(async () => {
    daemon = await startDaemon();
    uri = `test+unix:///default?socket=${daemon.sock}`;
    fs.writeFileSync(path.join(daemon.dir, 'n1.xml'), NET_XML);
  });

  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
  });

  test('a session prints the same as with test:///default', () => {
    const seq = [
      'net-list --all',
      'net-info default',
      'net-dumpxml default',
      'net-define n1.xml',
      'net-list --inactive',
      'net-start n1',
      'net-start n1',
      'net-autostart n1',
      'net-list --autostart --uuid',
      'net-name 0b8e0f5c-6c05-4c3e-9a56-5f5b2f9c0a01',
      'net-uuid n1',
      'net-undefine n1',
      'net-destroy n1',
      'net-undefine n1',
      'net-create n1.xml',
      'net-list --transient',
      'net-destroy n1',
      'net-info nope',
      'net-dumpxml default --inactive',
      'net-dhcp-leases default',
      'net-list --all',
    ].join('; ');
    const remote = virsh(['-c', uri, seq], daemon.dir);
    const local = virsh(['-c', 'test:///default', seq], daemon.dir);
    expect(remote.out).toContain('Network n1 defined from n1.xml');
    expect(remote.out).toContain('Network n1 created from n1.xml');
    expect(remote.out).toBe(local.out);
    expect(remote.status).toBe(local.status);
  });
});
