/**
 * The host interfaces of `qemu:///system` (libvirt's udev interface backend, read from sysfs)
 * against libvirtd 9.0's own interface driver, both daemons in one network namespace the test
 * makes and fills with links: a bridge and a veth member, a guest tap on it (left out of
 * the members and of the list, as libvirt does), a veth that is down and one that is up, a tap of
 * another guest, and the loopback. virsh prints the same for both: `iface-list` (active,
 * `--inactive`, `--all`), `iface-dumpxml` of each, `iface-mac`/`iface-name` and the errors for
 * unknown names and MACs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  makeNetNs,
  startDaemon,
  startLibvirtd,
  virsh,
  type NetNs,
  type RunningDaemon,
  type RunningLibvirtd,
} from '@virtkit/testkit';

describeIf(
  'virsh',
  'libvirtd',
  'root',
  'net admin',
)('host interfaces on qemu:///system, compared with libvirtd 9.0', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let libvirtd: RunningLibvirtd;
  let work: string;
  let ours: string;
  let theirs: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'host-ifaces-'));
    ns = makeNetNs('hostif');
    for (const cmd of [
      'ip link add vkbr0 type bridge stp_state 0',
      'ip link set vkbr0 address 52:54:00:12:34:56 up',
      'ip link add vkm0 type veth peer name vkm1',
      'ip link set vkm0 master vkbr0 up',
      'ip link set vkm1 up',
      'ip link add vkdown0 address 52:54:00:ab:cd:ef type veth peer name vkdown1',
      'ip tuntap add dev vnet9 mode tap',
      'ip link set vnet9 master vkbr0 up',
      'ip tuntap add dev vktap0 mode tap',
    ])
      ns.run(...cmd.split(' '));
    daemon = await startDaemon(['--qemu-root', path.join(work, 'root')], {}, ns.exec([]));
    ours = `qemu+unix:///system?socket=${daemon.sock}`;
    libvirtd = await startLibvirtd({ drivers: ['interface'], asInvoker: true, wrapper: ns.exec([]) });
    theirs = `interface+unix:///system?socket=${libvirtd.sock}`;
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await libvirtd?.stop();
    ns?.remove();
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 30_000);

  const both = (...args: string[]) => {
    const a = virsh(['-c', ours, ...args], work);
    const b = virsh(['-c', theirs, ...args], work);
    return { ours: a.out, theirs: b.out, status: [a.status, b.status] };
  };

  test('iface-list and its filters list the same links in the same order', () => {
    for (const filter of [[], ['--inactive'], ['--all']]) {
      const r = both('iface-list', ...filter);
      expect(r.ours).toBe(r.theirs);
    }
    const all = both('iface-list', '--all').ours;
    // Bridge ports and taps are not host interfaces; active is operstate up (a bridge without STP
    // is up once a port is), a down veth is inactive.
    expect(all).toMatch(/^ vkbr0 +active +52:54:00:12:34:56$/m);
    expect(all).toMatch(/^ vkm1 +active +/m);
    expect(all).toMatch(/^ vkdown0 +inactive +52:54:00:ab:cd:ef$/m);
    for (const hidden of ['vkm0', 'vnet9', 'vktap0']) expect(all).not.toContain(` ${hidden} `);
  });

  test('iface-dumpxml of each link is the same XML (a bridge lists its members but guest taps)', () => {
    for (const name of ['vkbr0', 'vkm1', 'vkdown0', 'lo', 'vkm0']) {
      const r = both('iface-dumpxml', name);
      expect(r.status).toEqual([0, 0]);
      expect(r.ours).toBe(r.theirs);
    }
    const bridge = both('iface-dumpxml', 'vkbr0').ours;
    expect(bridge).toContain("<bridge stp='off' delay='");
    expect(bridge).toContain("<interface type='ethernet' name='vkm0'>");
    expect(bridge).not.toContain('vnet9');
  });

  test('lookups by name and MAC, and the errors for unknown ones', () => {
    for (const args of [
      ['iface-mac', 'vkdown0'],
      ['iface-name', '52:54:00:ab:cd:ef'],
      ['iface-name', '52:54:00:00:00:99'],
      ['iface-dumpxml', 'nosuch0'],
      ['iface-mac', 'nosuch0'],
      ['iface-dumpxml', 'vkbr0', '--inactive'],
    ]) {
      const r = both(...args);
      expect(r.ours).toBe(r.theirs);
    }
    expect(both('iface-name', '52:54:00:ab:cd:ef').ours).toBe('vkdown0\n\n');
  });
});
