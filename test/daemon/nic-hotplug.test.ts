/**
 * NIC hotplug on a running QEMU: virtkitd runs in a network namespace the test makes, the tiny
 * guest runs on it, and a NAT network of the network driver gives the bridge. attach-interface
 * makes the tap (vnetN on the bridge) and plugs netdev + device; domif-setlink changes the link
 * through QMP set_link and the live XML records it; detach-interface waits for the guest to
 * release the device (DEVICE_DELETED), then the netdev and the tap go. virsh 9.0 and vsh drive it.
 * A `direct` NIC gets its macvtap, whose descriptor QEMU receives over the monitor (`getfd`, the
 * daemon keeps no copy), and a `user` NIC its slirp netdev; both leave again on detach.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  killLeftoverQemu,
  makeNetNs,
  startDaemon,
  tinyGuest,
  tinyGuestLines,
  virsh,
  waitFor,
  type NetNs,
  type RunningDaemon,
  vsh,
} from '@virtkit/testkit';

const MAC = '52:54:00:00:0e:01';

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'dnsmasq',
  'nftables',
  'tiny-guest',
)('NIC hotplug on a running QEMU', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  let consoleText = '';
  let server: net.Server;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);
  const vshOn = (...args: string[]) => vsh(['-c', uri, ...args], work);
  const hmp = (cmd: string) => run('qemu-monitor-command', '--hmp', 'hot', cmd).out;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nichot-'));
    root = path.join(work, 'qemu-root');
    ns = makeNetNs('nichot');
    daemon = await startDaemon(['--qemu-root', root], {}, ns.exec([]));
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    const consolePath = path.join(work, 'console.sock');
    server = net.createServer((c) => c.on('data', (d) => (consoleText += String(d))));
    await new Promise<void>((r) => server.listen(consolePath, r));
    fs.writeFileSync(
      path.join(work, 'net.xml'),
      `<network><name>hotnet</name><forward mode='nat'/><bridge name='vkhot0'/><ip address='192.168.171.1' prefix='24'/></network>\n`,
    );
    expect(run('net-create', path.join(work, 'net.xml')).status).toBe(0);
    // The parent link of direct NICs.
    ns.run('ip', 'link', 'add', 'vkpar0', 'type', 'veth', 'peer', 'name', 'vkpar1');
    ns.run('ip', 'link', 'set', 'vkpar0', 'up');
    const { kernel, initrd } = tinyGuest();
    const boot = `<kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet tg.counter=0 tg.dhcp=0</cmdline>`;
    const serial = `<serial type='unix'><source mode='connect' path='${consolePath}'/><target port='0'/></serial>`;
    fs.writeFileSync(
      path.join(work, 'hot.xml'),
      `<domain type='qemu'><name>hot</name><memory unit='MiB'>128</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type>${boot}</os><features><acpi/></features><devices>${serial}</devices></domain>\n`,
    );
    expect(run('define', path.join(work, 'hot.xml')).status).toBe(0);
    expect(run('start', 'hot').status).toBe(0);
    // PCI unplug needs the guest's ACPI hotplug driver: wait until its userspace runs.
    await waitFor(() => tinyGuestLines(consoleText).some((l) => l.startsWith('acpid ready')), 240_000, 'the guest to boot');
  }, 300_000);

  afterAll(async () => {
    run('destroy', 'hot');
    run('undefine', 'hot');
    run('net-destroy', 'hotnet');
    server?.close();
    if (daemon) await daemon.stop();
    if (root) killLeftoverQemu(root);
    ns?.remove();
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 30_000);

  test('attach-interface plugs a tap on the network bridge; setlink, getlink and domifstat see it; detach removes it', async () => {
    const attach = vshOn('attach-interface', 'hot', 'network', 'hotnet', '--model', 'virtio', '--mac', MAC, '--live', '--config');
    expect(attach.out).toBe('Interface attached successfully\n\n');
    const tap = ns.links().get('vnet0') as { master?: string; address: string; flags: string[] };
    expect(tap).toMatchObject({ master: 'vkhot0', address: 'fe:54:00:00:0e:01' });
    expect(tap.flags).toContain('UP');
    const live = run('dumpxml', 'hot').out;
    expect(live).toMatch(
      new RegExp(
        `<interface type='network'>\\s*<mac address='${MAC}'/>\\s*<source network='hotnet'[^>]*/>\\s*<target dev='vnet0'/>\\s*<model type='virtio'/>\\s*<alias name='net0'/>`,
      ),
    );
    expect(run('dumpxml', '--inactive', 'hot').out).toContain(`<mac address='${MAC}'/>`);
    // QEMU has the NIC on the tap.
    expect(hmp('info network')).toMatch(
      /net0: index=\d+,type=nic,model=virtio-net-pci,macaddr=52:54:00:00:0e:01[\s\S]*hostnet0: index=\d+,type=tap,ifname=vnet0/,
    );
    expect(vshOn('domifstat', 'hot', 'vnet0').out).toMatch(/^vnet0 rx_bytes \d+\n/);

    // The link goes down in QEMU (set_link on the device alias; QEMU refuses an unknown one) and in the
    // live XML, not in the persistent one; and up again.
    expect(vshOn('domif-setlink', 'hot', 'vnet0', 'down').out).toBe('Device updated successfully\n\n');
    expect(run('domif-getlink', 'hot', 'vnet0').out).toBe('vnet0 down\n');
    expect(vshOn('domif-getlink', 'hot', MAC).out).toBe(`${MAC} down\n`);
    expect(run('domif-getlink', 'hot', MAC, '--config').out).toBe(`${MAC} up\n`);
    expect(run('domif-setlink', 'hot', MAC, 'up').out).toBe('Device updated successfully\n\n');
    expect(run('domif-getlink', 'hot', 'vnet0').out).toBe('vnet0 up\n');

    // A second NIC with the same MAC is refused, and nothing is left of it.
    expect(run('attach-interface', 'hot', 'network', 'hotnet', '--mac', MAC).out).toBe(
      `error: Failed to attach interface\nerror: Requested operation is not valid: MAC address ${MAC} is already in use\n\n`,
    );
    expect([...ns.links().keys()].filter((l) => l.startsWith('vnet'))).toEqual(['vnet0']);

    // Detach (virsh's way: the element cut out of the live XML) waits for the guest to let go.
    expect(run('detach-interface', 'hot', 'network', '--mac', MAC, '--live').out).toBe('Interface detached successfully\n\n');
    await waitFor(() => !ns.links().has('vnet0'), 10_000, 'the tap to go');
    expect(run('dumpxml', 'hot').out).not.toContain('<interface');
    expect(hmp('info network')).not.toMatch(/hostnet0/);
    // Still in the persistent definition, which --config alone removes.
    expect(run('dumpxml', '--inactive', 'hot').out).toContain(`<mac address='${MAC}'/>`);
    expect(vshOn('detach-interface', 'hot', 'network', '--config').out).toBe('Interface detached successfully\n\n');
    expect(run('dumpxml', '--inactive', 'hot').out).not.toContain('<interface');
  }, 120_000);

  test('direct and user NICs attach live (the macvtap descriptor passed with getfd) and detach again', async () => {
    const DIRECT = '52:54:00:00:0e:02';
    const USER = '52:54:00:00:0e:03';
    expect(run('attach-interface', 'hot', 'direct', 'vkpar0', '--model', 'virtio', '--mac', DIRECT, '--live').out).toBe(
      'Interface attached successfully\n\n',
    );
    const macvtap = ns.links().get('macvtap0') as { ifindex: number; address: string; flags: string[]; link?: string };
    expect(macvtap).toMatchObject({ address: DIRECT, link: 'vkpar0' });
    expect(macvtap.flags).toContain('UP');
    expect(run('dumpxml', 'hot').out).toMatch(
      new RegExp(
        `<interface type='direct'>\\s*<mac address='${DIRECT}'/>\\s*<source dev='vkpar0' mode='vepa'/>\\s*<target dev='macvtap0'/>`,
      ),
    );
    // QEMU holds the macvtap's character device; the daemon kept no descriptor of it.
    expect(hmp('info network')).toMatch(/macaddr=52:54:00:00:0e:02\s*\\ hostnet\d+: index=\d+,type=tap,fd=\d+/);
    const fdTargets = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).map((f) => fs.readlinkSync(`/proc/${pid}/fd/${f}`));
    const qemuPid = (JSON.parse(fs.readFileSync(path.join(root, 'run', 'hot.json'), 'utf8')) as { pid: number }).pid;
    expect(fdTargets(qemuPid).filter((t) => t.includes(`/tap${macvtap.ifindex}`))).toHaveLength(1);
    expect(fdTargets(daemon.proc.pid!).filter((t) => /\/tap\d+/.test(t))).toEqual([]);

    fs.writeFileSync(path.join(work, 'user.xml'), `<interface type='user'><mac address='${USER}'/><model type='virtio'/></interface>`);
    expect(vshOn('attach-device', 'hot', path.join(work, 'user.xml'), '--live').out).toBe('Device attached successfully\n\n');
    expect(hmp('info network')).toMatch(/macaddr=52:54:00:00:0e:03\s*\\ hostnet\d+: index=\d+,type=user/);
    expect(run('domiflist', 'hot').out).toMatch(new RegExp(` -\\s+user\\s+-\\s+virtio\\s+${USER}`));

    // A parent that does not exist: libvirt's error, nothing left behind.
    expect(run('attach-interface', 'hot', 'direct', 'nosuch0', '--live').out).toMatch(
      /^error: Failed to attach interface\nerror: error creating macvtap interface macvtap\d+@nosuch0: No such device\n/,
    );
    expect([...ns.links().keys()].filter((l) => l.startsWith('macvtap'))).toEqual(['macvtap0']);

    expect(run('detach-interface', 'hot', 'direct', '--mac', DIRECT, '--live').out).toBe('Interface detached successfully\n\n');
    await waitFor(() => !ns.links().has('macvtap0'), 10_000, 'the macvtap to go');
    expect(vshOn('detach-device', 'hot', path.join(work, 'user.xml'), '--live').out).toBe('Device detached successfully\n\n');
    await waitFor(() => !/hostnet/.test(hmp('info network')), 10_000, 'the user netdev to go');
    expect(run('dumpxml', 'hot').out).not.toContain('<interface');
  }, 120_000);
});
