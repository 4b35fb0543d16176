/**
 * The virtual network driver on qemu:///system, for real: virtkitd runs inside a network
 * namespace the test makes, with a private QEMU root, and virsh 9.0 drives it. Starting a NAT,
 * routed, open or isolated network creates its bridge (MAC, STP, addresses, up), its nftables
 * table and a dnsmasq on the generated configuration, and writes the status XML guest NICs read;
 * destroying it removes all of that. A running network survives a daemon restart untouched
 * (same dnsmasq), one whose bridge vanished is marked inactive, and autostart networks start
 * when the daemon comes back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, makeNetNs, startDaemon, virsh, type NetNs, type RunningDaemon } from '@virtkit/testkit';

const NAT_XML = `<network>
  <name>natnet</name>
  <forward mode='nat'/>
  <ip address='192.168.160.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.160.10' end='192.168.160.50'/></dhcp>
  </ip>
</network>
`;

const ROUTE_XML = `<network>
  <name>routenet</name>
  <forward mode='route'/>
  <bridge name='vkroute0' stp='off'/>
  <mac address='52:54:00:aa:bb:01'/>
  <ip address='10.70.0.1' prefix='24'/>
</network>
`;

const OPEN_XML = `<network><name>opennet</name><forward mode='open'/><bridge name='vkopen0'/><ip address='10.71.0.1' prefix='24'/></network>\n`;
const ISOLATED_XML = `<network><name>isonet</name><bridge name='vkiso0'/><ip address='10.72.0.1' prefix='24'><dhcp><range start='10.72.0.2' end='10.72.0.9'/></dhcp></ip></network>\n`;

describeIf(
  'virsh',
  'net admin',
  'dnsmasq',
  'nftables',
)('virtual networks on qemu:///system through virtkitd in a namespace', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);
  const file = (name: string, text: string) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const statusFile = (name: string) => path.join(root, 'run', 'network', `${name}.xml`);
  const pidOf = (name: string) => Number(fs.readFileSync(path.join(root, 'run', 'network', `${name}.pid`), 'utf8'));
  // A zombie (dnsmasq daemonizes, so init reaps it, in its own time) counts as stopped.
  const alive = (pid: number) => {
    try {
      return !/\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  const tables = () => ns.run('nft', 'list', 'tables');
  const addrs = (dev: string) =>
    (
      JSON.parse(ns.run('ip', '-j', 'addr', 'show', 'dev', dev)) as Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>
    )[0]!.addr_info.map((a) => `${a.local}/${a.prefixlen}`);

  const startVirtkitd = async () => {
    daemon = await startDaemon(['--qemu-root', root], {}, ns.exec([]));
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'netdrv-'));
    root = path.join(work, 'qemu-root');
    ns = makeNetNs('netdrv');
    await startVirtkitd();
  }, 60_000);

  afterAll(async () => {
    if (daemon) await daemon.stop();
    // dnsmasq daemonizes: stop what the networks left running before the namespace goes.
    for (const f of fs.existsSync(path.join(root, 'run', 'network')) ? fs.readdirSync(path.join(root, 'run', 'network')) : []) {
      if (!f.endsWith('.pid')) continue;
      const pid = Number(fs.readFileSync(path.join(root, 'run', 'network', f), 'utf8'));
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    ns?.remove();
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 30_000);

  test('a NAT network gets a generated bridge, its address, nftables NAT and a dnsmasq; destroy removes them', () => {
    expect(run('net-define', file('nat.xml', NAT_XML)).out).toBe('Network natnet defined from ' + path.join(work, 'nat.xml') + '\n\n');
    // The driver names the bridge and gives it a MAC at define time, as libvirt.
    const inactive = run('net-dumpxml', '--inactive', 'natnet').out;
    expect(inactive).toMatch(/<bridge name='virbr0' stp='on' delay='0'\/>/);
    const mac = /<mac address='(52:54:00:[0-9a-f:]{8})'\/>/.exec(inactive)![1]!;
    expect(fs.readFileSync(path.join(root, 'etc', 'networks', 'natnet.xml'), 'utf8')).toContain('<name>natnet</name>');
    expect(run('net-start', 'natnet').out).toBe('Network natnet started\n\n');

    const br = ns.links().get('virbr0') as { address: string; flags: string[]; linkinfo: { info_kind: string } };
    expect(br.linkinfo.info_kind).toBe('bridge');
    expect(br.address).toBe(mac);
    expect(br.flags).toContain('UP');
    expect(addrs('virbr0')).toEqual(['192.168.160.1/24']);
    expect(ns.run('cat', '/proc/sys/net/ipv4/ip_forward').trim()).toBe('1');
    const ruleset = ns.run('nft', 'list', 'table', 'inet', 'virtkit_virbr0');
    expect(ruleset).toMatch(
      /ip saddr 192\.168\.160\.0\/24 ip daddr != 192\.168\.160\.0\/24 meta l4proto \{ tcp, udp \} masquerade to :1024-65535/,
    );
    expect(ruleset).toMatch(/oifname "virbr0" ip daddr 192\.168\.160\.0\/24 ct state established,related accept/);
    const pid = pidOf('natnet');
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toMatch(/dnsmasq$/);
    const conf = fs.readFileSync(path.join(root, 'lib', 'dnsmasq', 'natnet.conf'), 'utf8');
    expect(conf).toContain('interface=virbr0\n');
    expect(conf).toContain('dhcp-range=192.168.160.10,192.168.160.50,255.255.255.0\n');
    // dnsmasq listens for DHCP on the bridge inside the namespace.
    expect(ns.run('ss', '-lunp')).toMatch(/0\.0\.0\.0%virbr0:67|\*%virbr0:67|:67 .*dnsmasq/);
    // The status XML guest NICs read.
    expect(fs.readFileSync(statusFile('natnet'), 'utf8')).toMatch(/<networkstatus>[\s\S]*<bridge name='virbr0'/);
    expect(run('net-info', 'natnet').out).toMatch(/^Active:\s+yes$[\s\S]*^Bridge:\s+virbr0$/m);
    expect(run('net-start', 'natnet').out).toBe(
      'error: Failed to start network natnet\nerror: Requested operation is not valid: network is already active\n\n',
    );

    expect(run('net-destroy', 'natnet').out).toBe('Network natnet destroyed\n\n');
    expect(ns.links().has('virbr0')).toBe(false);
    expect(alive(pid)).toBe(false);
    expect(tables()).not.toContain('virtkit_virbr0');
    expect(fs.existsSync(statusFile('natnet'))).toBe(false);
    expect(run('net-destroy', 'natnet').out).toBe(
      "error: Failed to destroy network natnet\nerror: Requested operation is not valid: network 'natnet' is not active\n\n",
    );
  });

  test('route, open and isolated networks: forwarding without NAT, no rules at all, and no forwarding', () => {
    for (const [name, xml] of [
      ['routenet', ROUTE_XML],
      ['opennet', OPEN_XML],
      ['isonet', ISOLATED_XML],
    ] as const) {
      expect(run('net-create', file(`${name}.xml`, xml)).status).toBe(0);
    }
    try {
      const route = ns.links().get('vkroute0') as { address: string };
      expect(route.address).toBe('52:54:00:aa:bb:01');
      const routeRules = ns.run('nft', 'list', 'table', 'inet', 'virtkit_vkroute0');
      expect(routeRules).toMatch(/oifname "vkroute0" ip daddr 10\.70\.0\.0\/24 accept/);
      expect(routeRules).not.toMatch(/masquerade/);
      // No DHCP range and DNS on: dnsmasq still serves DNS.
      expect(alive(pidOf('routenet'))).toBe(true);
      expect(tables()).not.toContain('virtkit_vkopen0');
      expect(addrs('vkopen0')).toEqual(['10.71.0.1/24']);
      const iso = ns.run('nft', 'list', 'table', 'inet', 'virtkit_vkiso0');
      expect(iso).toMatch(/iifname "vkiso0" oifname "vkiso0" accept[\s\S]*iifname "vkiso0" reject/);
      expect(iso).not.toMatch(/saddr 10\.72/);
      // Transient networks: listed while running, gone when destroyed.
      expect(run('net-list', '--transient', '--name').out.split('\n').filter(Boolean).sort()).toEqual(['isonet', 'opennet', 'routenet']);
    } finally {
      for (const name of ['routenet', 'opennet', 'isonet']) run('net-destroy', name);
    }
    expect([...ns.links().keys()].filter((l) => l.startsWith('vk'))).toEqual([]);
    expect(run('net-list', '--all', '--name').out.trim()).toBe('natnet');
  });

  test('a bridge name in use is refused, and a failed start leaves nothing behind', () => {
    ns.run('ip', 'link', 'add', 'vkbusy0', 'type', 'bridge');
    const r = run('net-create', file('busy.xml', `<network><name>busy</name><bridge name='vkbusy0'/></network>\n`));
    expect(r.out).toMatch(/^error: internal error: bridge name 'vkbusy0' already in use\.$/m);
    expect(run('net-list', '--all', '--name').out.trim()).toBe('natnet');
    ns.run('ip', 'link', 'del', 'vkbusy0');
  });

  test('a running network survives a daemon restart; autostart starts one; a vanished bridge means inactive', async () => {
    expect(run('net-start', 'natnet').status).toBe(0);
    expect(run('net-define', file('auto.xml', `<network><name>autonet</name><bridge name='vkauto0'/></network>\n`)).status).toBe(0);
    expect(run('net-autostart', 'autonet').out).toBe('Network autonet marked as autostarted\n\n');
    expect(run('net-define', file('gone.xml', `<network><name>gonenet</name><bridge name='vkgone0'/></network>\n`)).status).toBe(0);
    expect(run('net-start', 'gonenet').status).toBe(0);
    const pid = pidOf('natnet');

    await daemon.stop();
    fs.rmSync(daemon.dir, { recursive: true, force: true });
    // The network keeps running without the daemon; someone deletes one bridge meanwhile.
    expect(alive(pid)).toBe(true);
    ns.run('ip', 'link', 'del', 'vkgone0');
    await startVirtkitd();

    expect(run('net-list', '--name').out.split('\n').filter(Boolean).sort()).toEqual(['autonet', 'natnet']);
    expect(pidOf('natnet')).toBe(pid);
    expect(ns.links().has('vkauto0')).toBe(true);
    expect(run('net-list', '--inactive', '--name').out.trim()).toBe('gonenet');
    expect(fs.existsSync(statusFile('gonenet'))).toBe(false);
    // Taken back, it stops as any running network does.
    expect(run('net-destroy', 'natnet').status).toBe(0);
    expect(alive(pid)).toBe(false);
    for (const name of ['autonet']) run('net-destroy', name);
    for (const name of ['natnet', 'autonet', 'gonenet']) expect(run('net-undefine', name).status).toBe(0);
    expect(run('net-list', '--all', '--name').out.trim()).toBe('');
  }, 60_000);
});
