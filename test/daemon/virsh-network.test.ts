/**
 * Real virsh against virtkitd, network and host interface commands: the procedures travel through the generated
 * tables (remote driver side in virsh, dispatch in virtkitd) and print what `virsh -c
 * test:///default` prints with libvirt's own test driver.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describeIf, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

const VSH = path.resolve(__dirname, '../../bin/vsh');

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
      // virsh sends command and section in order only to a daemon that declares it (feature 16)
      `net-update n1 add ip-dhcp-host "<host mac='52:54:00:00:00:07' ip='10.5.0.7'/>"`,
      'net-dumpxml n1',
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

  test("vsh's remote driver through virtkitd prints what virsh prints", () => {
    const seq =
      'net-list --all; net-info default; net-dumpxml default; net-define n1.xml; net-start n1; net-list --all; ' +
      "net-update n1 add ip-dhcp-host \"<host mac='52:54:00:00:00:07' ip='10.5.0.7'/>\"; net-dumpxml n1; net-destroy n1; " +
      'net-undefine n1; net-dhcp-leases default; iface-list --all; iface-dumpxml eth1';
    const env = { ...process.env, LANG: 'C', LC_ALL: 'C' };
    const vsh = spawnSync(VSH, ['-c', uri, seq], { cwd: daemon.dir, encoding: 'utf8', env, timeout: 60000 });
    const local = spawnSync('virsh', ['-c', uri, seq], { cwd: daemon.dir, encoding: 'utf8', env, timeout: 60000 });
    expect(vsh.stdout).toContain('Network n1 started');
    expect({ out: vsh.stdout, err: vsh.stderr, status: vsh.status }).toEqual({
      out: local.stdout,
      err: local.stderr,
      status: local.status,
    });
  });

  test('net-event --loop in virsh and in vsh print the same lifecycle events', async () => {
    const env = { ...process.env, LANG: 'C', LC_ALL: 'C' };
    const watch = (cmd: string) => {
      const p = spawn(cmd, ['-c', uri, 'net-event', '--event', 'lifecycle', '--loop', '--timeout', '10'], { cwd: daemon.dir, env });
      let out = '';
      p.stdout.on('data', (d) => (out += String(d)));
      return new Promise<{ out: string; code: number | null }>((resolve) => p.on('exit', (code) => resolve({ out, code })));
    };
    const [virshWatch, vshWatch] = [watch('virsh'), watch(VSH)];
    // both watchers register within this pause (vsh's start-up is the slower one)
    await new Promise((r) => setTimeout(r, 5000));
    const r = virsh(['-c', uri, 'net-define n1.xml; net-start n1; net-destroy n1; net-undefine n1'], daemon.dir);
    expect(r.status).toBe(0);
    const [a, b] = await Promise.all([virshWatch, vshWatch]);
    expect(a.out).toBe(
      "event 'lifecycle' for network n1: Defined\nevent 'lifecycle' for network n1: Started\n" +
        "event 'lifecycle' for network n1: Stopped\nevent 'lifecycle' for network n1: Undefined\n" +
        'event loop timed out\nevents received: 4\n\n',
    );
    expect(b).toEqual(a);
  }, 30000);

  test('iface-* prints the same as with test:///default', () => {
    fs.writeFileSync(
      path.join(daemon.dir, 'eth9.xml'),
      "<interface type='ethernet' name='eth9'><mac address='52:54:00:aa:bb:09'/><mtu size='9000'/></interface>\n",
    );
    const seq = [
      'iface-list --all',
      'iface-dumpxml eth1',
      'iface-mac eth1',
      'iface-name aa:bb:cc:dd:ee:ff',
      'iface-begin',
      'iface-define eth9.xml',
      'iface-start eth9',
      'iface-list --all',
      'iface-rollback',
      'iface-list --all',
      'iface-dumpxml nope',
    ].join('; ');
    const remote = virsh(['-c', uri, seq], daemon.dir);
    const local = virsh(['-c', 'test:///default', seq], daemon.dir);
    expect(remote.out).toContain('Interface eth9 defined from eth9.xml');
    expect(remote.out).toBe(local.out);
    expect(remote.status).toBe(local.status);
  });
});
