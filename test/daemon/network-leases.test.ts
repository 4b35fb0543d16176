/**
 * DHCP leases end to end: virtkitd runs in a network namespace the test makes; a NAT network
 * started by the network driver serves the tiny guest (busybox udhcpc) through its dnsmasq. The
 * lease shows in virNetworkGetDHCPLeases (`net-dhcp-leases`) and virDomainInterfaceAddresses
 * with the lease, ARP and guest agent sources (`domifaddr`), vsh printing what virsh 9.0 prints; the guest
 * pings the bridge address through the NAT network's firewall table; the tap's counters
 * (`domifstat`) are the guest's view, receive and transmit swapped.
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

const MAC = '52:54:00:00:0d:01';
const NET_XML = `<network>
  <name>leasenet</name>
  <forward mode='nat'/>
  <bridge name='vklease0'/>
  <ip address='192.168.170.1' prefix='24'>
    <dhcp><range start='192.168.170.100' end='192.168.170.150'><lease expiry='2' unit='hours'/></range></dhcp>
  </ip>
</network>
`;

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'dnsmasq',
  'nftables',
  'tiny-guest agent',
)('DHCP leases of a NAT network, seen by the network and the domain', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  let consoleText = '';
  let server: net.Server;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);
  const vshOn = (...args: string[]) => vsh(['-c', uri, ...args], work);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'netlease-'));
    root = path.join(work, 'qemu-root');
    ns = makeNetNs('lease');
    daemon = await startDaemon(['--qemu-root', root], {}, ns.exec([]));
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    const consolePath = path.join(work, 'console.sock');
    server = net.createServer((c) => c.on('data', (d) => (consoleText += String(d))));
    await new Promise<void>((r) => server.listen(consolePath, r));
  }, 60_000);

  afterAll(async () => {
    run('destroy', 'leaser');
    run('net-destroy', 'leasenet');
    server?.close();
    if (daemon) await daemon.stop();
    if (root) killLeftoverQemu(root);
    ns?.remove();
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 30_000);

  test('the guest gets a lease from the network dnsmasq; net-dhcp-leases, domifaddr and domifstat show it', async () => {
    fs.writeFileSync(path.join(work, 'net.xml'), NET_XML);
    expect(run('net-create', path.join(work, 'net.xml')).status).toBe(0);
    // The agent build: qemu-ga answers the agent source of domifaddr.
    const { kernel, initrd } = tinyGuest(true);
    const boot = `<kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet tg.counter=0</cmdline>`;
    const serial = `<serial type='unix'><source mode='connect' path='${path.join(work, 'console.sock')}'/><target port='0'/></serial>`;
    const nic =
      `<interface type='network'><mac address='${MAC}'/><source network='leasenet'/><model type='virtio'/></interface>` +
      `<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>`;
    fs.writeFileSync(
      path.join(work, 'guest.xml'),
      `<domain type='qemu'><name>leaser</name><memory unit='MiB'>128</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type>${boot}</os><devices>${nic}${serial}</devices></domain>\n`,
    );
    expect(run('create', path.join(work, 'guest.xml')).status).toBe(0);
    await waitFor(() => tinyGuestLines(consoleText).some((l) => l.startsWith('ping ')), 240_000, 'the guest to get a lease and ping').catch(
      (e: Error) => {
        throw new Error(`${e.message}; console:\n${consoleText.slice(-3000)}`);
      },
    );
    const said = tinyGuestLines(consoleText);
    const bound = said.find((l) => l.startsWith('bound eth0 '))!;
    // The lease time of the network's <lease>, the bridge address as router.
    expect(bound).toMatch(/^bound eth0 192\.168\.170\.(\d+)\/24 router 192\.168\.170\.1 lease 7200s at /);
    expect(said).toContain('ping 192.168.170.1 ok');
    const ip = /192\.168\.170\.\d+/.exec(bound)![0];
    expect(Number(ip.split('.')[3])).toBeGreaterThanOrEqual(100);

    // virNetworkGetDHCPLeases: the lease with its expiry two hours ahead and the client id (udhcpc sends
    // no host name), through virsh and vsh alike.
    const leases = run('net-dhcp-leases', 'leasenet');
    expect(leases.status).toBe(0);
    const row = leases.out.split('\n').find((l) => l.includes(MAC))!;
    expect(row).toMatch(
      new RegExp(
        `^ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d   ${MAC}   ipv4       ${ip.replace(/\./g, '\\.')}/24   -          01:${MAC}$`,
      ),
    );
    // virsh prints the expiry in local time; the test runs with the machine's zone, UTC here.
    const expiry = new Date(`${row.trim().slice(0, 19).replace(' ', 'T')}`).getTime();
    expect(Math.abs(expiry - Date.now() - 7200_000)).toBeLessThan(5 * 60_000);
    expect(vshOn('net-dhcp-leases', 'leasenet').out).toBe(leases.out);
    expect(
      run('net-dhcp-leases', 'leasenet', '--mac', '52:54:00:99:99:99')
        .out.split('\n')
        .filter((l) => l.includes('52:54')),
    ).toEqual([]);

    // virDomainInterfaceAddresses, lease source (virsh's default) and ARP source (the guest has talked to the bridge).
    const addr = run('domifaddr', 'leaser');
    expect(addr.out).toBe(
      ` Name       MAC address          Protocol     Address\n${'-'.repeat(79)}\n vnet0      ${MAC}    ipv4         ${ip}/24\n\n`,
    );
    expect(vshOn('domifaddr', 'leaser').out).toBe(addr.out);
    expect(vshOn('domifaddr', 'leaser', '--source', 'lease').out).toBe(run('domifaddr', 'leaser', '--source', 'lease').out);
    expect(run('domifaddr', 'leaser', '--source', 'arp').out).toContain(` vnet0      ${MAC}    ipv4         ${ip}/0\n`);
    expect(vshOn('domifaddr', 'leaser', '--source', 'nope').out).toBe(run('domifaddr', 'leaser', '--source', 'nope').out);
    // The agent source (guest-network-get-interfaces through qemu-ga): the guest's own eth0 holds the leased address.
    await waitFor(() => /state='connected'/.test(run('dumpxml', 'leaser').out), 120_000, 'the guest agent to open its port');
    const viaAgent = run('domifaddr', 'leaser', '--source', 'agent');
    expect(viaAgent.status).toBe(0);
    expect(viaAgent.out).toContain(` eth0       ${MAC}    ipv4         ${ip}/24\n`);
    expect(viaAgent.out).toMatch(/^ lo +00:00:00:00:00:00 +ipv4 +127\.0\.0\.1\/8$/m);
    expect(vshOn('domifaddr', 'leaser', '--source', 'agent').out).toBe(viaAgent.out);

    // domifstat: the tap counts the guest's sent packets as received, so virsh shows them swapped back.
    const stat = run('domifstat', 'leaser', 'vnet0');
    expect(stat.out).toMatch(
      /^vnet0 rx_bytes \d+\nvnet0 rx_packets \d+\nvnet0 rx_errs 0\nvnet0 rx_drop \d+\nvnet0 tx_bytes \d+\nvnet0 tx_packets \d+\nvnet0 tx_errs 0\nvnet0 tx_drop \d+\n\n$/,
    );
    const tap = JSON.parse(ns.run('ip', '-j', '-s', 'link', 'show', 'dev', 'vnet0'))[0].stats64 as { tx: { packets: number } };
    const guestRx = Number(/rx_packets (\d+)/.exec(stat.out)![1]);
    expect(guestRx).toBeGreaterThan(0);
    expect(guestRx).toBeLessThanOrEqual(tap.tx.packets);
    expect(vshOn('domifstat', 'leaser', MAC).out).toMatch(new RegExp(`^${MAC} rx_bytes \\d+\\n`));
    const bad = run('domifstat', 'leaser', 'nosuch0').out;
    expect(bad).toBe(
      "error: Failed to get interface stats leaser nosuch0\nerror: invalid argument: 'nosuch0' is not a known interface\n\n",
    );
    expect(vshOn('domifstat', 'leaser', 'nosuch0').out).toBe(bad);
    expect(vshOn('domifstat', 'leaser', 'vnet0').out).toMatch(/^vnet0 rx_bytes \d+\n[\s\S]*vnet0 tx_drop \d+\n\n$/);
  }, 300_000);
});
