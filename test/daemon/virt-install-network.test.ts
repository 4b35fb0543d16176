/**
 * `virt-install --import --network network=default` against virtkitd, run inside a network
 * namespace the test makes: virt-install finds the running NAT network `default`, defines the
 * domain with its own defaults (q35, virtio NIC, agent channel, ...) and starts it. As with
 * libvirtd 9.0, the domain runs with a `vnetN` tap on the network's bridge, the live XML has
 * libvirt's interface shape (the MAC first, the actual bridge on `<source>`), the definition keeps
 * neither, and destroying the domain removes the tap. `--network bridge=virbr0,model=e1000e`
 * plugs its tap straight into the bridge.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  killLeftoverQemu,
  kvmRunsHostCpu,
  makeNetNs,
  startDaemon,
  virsh,
  type NetNs,
  type RunningDaemon,
} from '@virtkit/testkit';

const NET_XML = `<network>
  <name>default</name>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp>
  </ip>
</network>
`;

describeIf(
  'virt-install',
  'virsh',
  'qemu',
  'qemu-img',
  'net admin',
  'dnsmasq',
  'nftables',
)('virt-install --network network=default against virtkitd', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let root: string;
  let work: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virt-install-net-'));
    root = path.join(work, 'qemu-root');
    ns = makeNetNs('vinet');
    daemon = await startDaemon(['--qemu-root', root], {}, ns.exec([]));
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    fs.writeFileSync(path.join(work, 'net.xml'), NET_XML);
    expect(run('net-define', path.join(work, 'net.xml')).status).toBe(0);
    expect(run('net-start', 'default').out).toContain('Network default started');
  }, 60_000);

  afterAll(async () => {
    if (daemon) {
      for (const name of ['vi-net', 'vi-br']) run('destroy', name);
      run('net-destroy', 'default');
      await daemon.stop();
    }
    if (root) killLeftoverQemu(root);
    ns?.remove();
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
  }, 30_000);

  /** virt-install --import of a fresh 64 MiB disk with virt-install's defaults for a modern Linux and `--network NETWORK`. */
  function virtInstall(name: string, network: string): void {
    const disk = path.join(work, `${name}.qcow2`);
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']).status).toBe(0);
    const args = ['--connect', uri, '--import', '--name', name, '--memory', '128', '--disk', disk, '--osinfo', 'linux2022'];
    if (!kvmRunsHostCpu()) args.push('--virt-type', 'qemu');
    const r = spawnSync('virt-install', [...args, '--network', network, '--graphics', 'none', '--noautoconsole'], {
      encoding: 'utf8',
      timeout: 150_000,
      env: { ...process.env, HOME: work, LANG: 'C', LC_ALL: 'C' },
    });
    expect(r.stdout + r.stderr).toContain('Domain creation completed.');
    expect(r.status).toBe(0);
    expect(run('domstate', name).out.trim()).toBe('running');
  }

  test('the domain is created and started with its NIC on the network bridge', () => {
    virtInstall('vi-net', 'network=default');

    const live = /<interface type='network'>[\s\S]*?<\/interface>/.exec(run('dumpxml', 'vi-net').out)?.[0] ?? '';
    const mac = /<mac address='(52:54:00(?::[0-9a-f]{2}){3})'\/>/.exec(live)?.[1];
    expect(mac).toBeDefined();
    // The port the network gave the NIC (libvirt's network port) is named in the live source.
    expect(live.split('\n').map((l) => l.trim())).toEqual([
      "<interface type='network'>",
      `<mac address='${mac}'/>`,
      expect.stringMatching(/^<source network='default' portid='[0-9a-f-]{36}' bridge='virbr0'\/>$/),
      "<target dev='vnet0'/>",
      "<model type='virtio'/>",
      "<alias name='net0'/>",
      expect.stringMatching(/^<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'\/>$/),
      '</interface>',
    ]);
    const inactive = /<interface type='network'>[\s\S]*?<\/interface>/.exec(run('dumpxml', '--inactive', 'vi-net').out)?.[0] ?? '';
    expect(inactive).toContain("<source network='default'/>");
    expect(inactive).not.toContain('<target');

    const tap = ns.links().get('vnet0');
    expect(tap?.master).toBe('virbr0');
    expect(tap?.operstate).not.toBe('DOWN');
    expect(tap?.address).toBe(`fe${mac!.slice(2)}`);
    expect(run('domiflist', 'vi-net').out).toContain(`vnet0       network   default   virtio   ${mac}`);

    expect(run('destroy', 'vi-net').status).toBe(0);
    expect(ns.links().has('vnet0')).toBe(false);
  }, 200_000);

  test('--network bridge=virbr0,model=e1000e plugs a tap straight into the bridge', () => {
    virtInstall('vi-br', 'bridge=virbr0,model=e1000e');
    const live = /<interface type='bridge'>[\s\S]*?<\/interface>/.exec(run('dumpxml', 'vi-br').out)?.[0] ?? '';
    expect(live).toMatch(
      /^<interface type='bridge'>\s*<mac address='52:54:00[^']*'\/>\s*<source bridge='virbr0'\/>\s*<target dev='vnet\d+'\/>\s*<model type='e1000e'\/>/,
    );
    const tap = /<target dev='(vnet\d+)'/.exec(live)![1]!;
    expect(ns.links().get(tap)?.master).toBe('virbr0');
    expect(run('destroy', 'vi-br').status).toBe(0);
    expect(ns.links().has(tap)).toBe(false);
  }, 200_000);
});
