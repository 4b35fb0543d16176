/**
 * Network ports end to end: virtkitd runs in a network namespace the test makes, with a NAT
 * network of its network driver. A running guest's `network` NIC has a port (virsh 9.0's
 * net-port-list and net-port-dumpxml show it, the live domain XML names it in `portid`), which
 * goes when the guest stops; a port made by net-port-create gets the network's bridge as its
 * plug and goes with net-port-delete; libvirt-python 9.0's virNetworkPort.setParameters changes
 * the HTB class on the guest's tap, and its lookups fail with VIR_ERR_NO_NETWORK_PORT. The same
 * virsh session (create, list, dump, delete and their refusals) prints the same against libvirtd
 * 9.0's network driver in a namespace of its own.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  killLeftoverQemu,
  makeNetNs,
  PYTHON,
  startDaemon,
  startLibvirtd,
  testIf,
  virsh,
  type NetNs,
  type RunningDaemon,
  type RunningLibvirtd,
  vsh,
} from '@virtkit/testkit';

const MAC = '52:54:00:00:0e:01';
const NET_XML = `<network><name>portnet</name><forward mode='nat'/><bridge name='vkport0'/><ip address='192.168.171.1' prefix='24'/></network>\n`;
const domainXml = (bandwidth: string) =>
  `<domain type='qemu'><name>porter</name><uuid>6a1f3c0e-5b7d-4e2a-9c84-0d3b2e1f4a55</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64'>hvm</type></os><devices><interface type='network'><mac address='${MAC}'/><source network='portnet'/>` +
  `${bandwidth}<model type='virtio'/></interface></devices></domain>\n`;
const PORT_UUID = '5d744f21-ba4a-4d6e-bdb2-30a35ff3207d';
const PORT_XML =
  `<networkport><uuid>${PORT_UUID}</uuid><owner><name>memtest</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>` +
  `<mac address='52:54:00:7b:35:93'/><bandwidth><inbound average='1000'/></bandwidth></networkport>\n`;

describeIf(
  'virsh',
  'qemu',
  'net admin',
  'dnsmasq',
  'nftables',
  'libvirt-python',
)('network ports through virtkitd in a namespace', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);
  const vshOn = (...args: string[]) => vsh(['-c', uri, ...args], work);
  /** libvirt-python 9.0 against virtkitd: `script` runs with `conn` and `net` (portnet) set. */
  const python = (script: string) => {
    const prelude = [
      'import libvirt, sys',
      'libvirt.registerErrorHandler(lambda *a: None, None)',
      'conn = libvirt.open(sys.argv[1])',
      'net = conn.networkLookupByName("portnet")',
    ];
    const r = spawnSync(PYTHON, ['-c', [...prelude, script].join('\n'), uri], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    return r.stdout;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'netport-'));
    root = path.join(work, 'qemu-root');
    ns = makeNetNs('netport');
    daemon = await startDaemon(['--qemu-root', root], {}, ns.exec([]));
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    fs.writeFileSync(path.join(work, 'net.xml'), NET_XML);
    fs.writeFileSync(path.join(work, 'dom.xml'), domainXml(''));
    fs.writeFileSync(path.join(work, 'dom-bw.xml'), domainXml(`<bandwidth><inbound average='1000'/></bandwidth>`));
    fs.writeFileSync(path.join(work, 'port.xml'), PORT_XML);
    expect(run('net-create', path.join(work, 'net.xml')).status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    run('destroy', 'porter');
    run('net-destroy', 'portnet');
    if (daemon) await daemon.stop();
    if (root) killLeftoverQemu(root);
    ns?.remove();
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 30_000);

  test("a running guest's NIC has a port for as long as the guest runs", () => {
    expect(run('net-port-list', 'portnet').out).toBe(' UUID\n-------\n\n');
    expect(run('create', path.join(work, 'dom.xml')).status).toBe(0);
    const uuids = run('net-port-list', 'portnet', '--uuid').out.trim().split('\n');
    expect(uuids).toHaveLength(1);
    const port = uuids[0]!;
    expect(run('net-port-list', 'portnet').out).toBe(` UUID\n${'-'.repeat(39)}\n ${port}\n\n`);
    expect(run('dumpxml', 'porter').out).toContain(`<source network='portnet' portid='${port}' bridge='vkport0'/>`);
    expect(run('dumpxml', '--inactive', 'porter').out).not.toContain('portid');
    expect(run('net-port-dumpxml', 'portnet', port).out).toBe(
      `<networkport>\n  <uuid>${port}</uuid>\n  <owner>\n    <name>porter</name>\n    <uuid>6a1f3c0e-5b7d-4e2a-9c84-0d3b2e1f4a55</uuid>\n  </owner>\n` +
        `  <mac address='${MAC}'/>\n  <plug type='network' bridge='vkport0'/>\n</networkport>\n\n`,
    );
    expect(python(`print(net.portLookupByUUIDString("${port}").network().name(), [p.UUIDString() for p in net.listAllPorts()])`)).toBe(
      `portnet ['${port}']\n`,
    );
    // vsh prints what virsh prints.
    for (const args of [
      ['net-port-list', 'portnet'],
      ['net-port-list', 'portnet', '--uuid'],
      ['net-port-dumpxml', 'portnet', port],
    ])
      expect(vshOn(...args)).toEqual(run(...args));
    expect(run('destroy', 'porter').status).toBe(0);
    expect(run('net-port-list', 'portnet', '--uuid').out).toBe('\n');
  }, 120_000);

  testIf('tc shaping')(
    "setParameters on a guest's port changes the HTB class on its tap",
    () => {
      expect(run('create', path.join(work, 'dom-bw.xml')).status).toBe(0);
      const port = run('net-port-list', 'portnet', '--uuid').out.trim();
      // The guest's inbound is the tap's egress: 1000 KiB/s is 8 Mbit.
      expect(ns.run('tc', 'class', 'show', 'dev', 'vnet1')).toMatch(/rate 8Mbit/);
      python(
        `net.portLookupByUUIDString("${port}").setParameters({libvirt.VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE: 2000, libvirt.VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK: 4000})`,
      );
      expect(ns.run('tc', 'class', 'show', 'dev', 'vnet1')).toMatch(/rate 16Mbit ceil 32Mbit/);
      expect(run('destroy', 'porter').status).toBe(0);
    },
    120_000,
  );

  test('net-port-create plugs a port into the bridge; net-port-delete removes it; lookups then fail as libvirt', () => {
    const file = path.join(work, 'port.xml');
    expect(run('net-port-create', 'portnet', file)).toMatchObject({ status: 0, out: `Network port ${PORT_UUID} created from ${file}\n\n` });
    expect(run('net-port-dumpxml', 'portnet', PORT_UUID).out).toContain(`  <plug type='network' bridge='vkport0'/>\n`);
    const again = run('net-port-create', 'portnet', file);
    expect(again.status).toBe(1);
    // libvirt's template wraps the driver's sentence: "network port %s exists already".
    expect(again.out).toBe(
      `error: Failed to create network from ${file}\nerror: network port Network port with UUID ${PORT_UUID} already exists exists already\n\n`,
    );
    // libvirt-python reads and replaces the port's bandwidth (no tap: only the port changes).
    expect(
      python(
        [
          `port = net.portLookupByUUIDString("${PORT_UUID}")`,
          'print(port.parameters())',
          'port.setParameters({libvirt.VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE: 2000, libvirt.VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK: 4000})',
          'print(port.parameters())',
        ].join('\n'),
      ),
    ).toBe(
      `{'inbound.average': 1000, 'inbound.peak': 0, 'inbound.floor': 0, 'inbound.burst': 0}\n` +
        `{'inbound.average': 2000, 'inbound.peak': 4000, 'inbound.floor': 0, 'inbound.burst': 0}\n`,
    );
    expect(run('net-port-dumpxml', 'portnet', PORT_UUID).out).toContain(`<inbound average='2000' peak='4000'/>`);
    expect(run('net-port-delete', 'portnet', PORT_UUID).out).toBe(`Network port ${PORT_UUID} deleted\n\n`);
    const gone = run('net-port-dumpxml', 'portnet', PORT_UUID);
    expect(gone).toEqual({ status: 0, out: `error: failed to get network port '${PORT_UUID}'\n\n` });
    expect(vshOn('net-port-dumpxml', 'portnet', PORT_UUID)).toEqual(gone);
    expect(
      python(
        [
          'try:',
          `    net.portLookupByUUIDString("${PORT_UUID}")`,
          'except libvirt.libvirtError as e:',
          '    print(e.get_error_code() == libvirt.VIR_ERR_NO_NETWORK_PORT, e.get_error_domain() == libvirt.VIR_FROM_NETWORK, e)',
        ].join('\n'),
      ),
    ).toBe(`True True network port not found: Network port with UUID ${PORT_UUID} does not exist\n`);
  }, 60_000);
});

/** The same port session against libvirtd 9.0's network driver in its own namespace, and against virtkitd. */
describeIf(
  'virsh',
  'libvirtd',
  'net admin',
)('network ports compared with libvirtd 9.0', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let libvirtd: RunningLibvirtd;
  let work: string;
  let ours: string;
  let theirs: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'netport-cmp-'));
    ns = makeNetNs('netportcmp');
    daemon = await startDaemon(['--qemu-root', path.join(work, 'root')], {}, ns.exec([]));
    ours = `qemu+unix:///system?socket=${daemon.sock}`;
    libvirtd = await startLibvirtd({ drivers: ['network'], asInvoker: true, wrapper: ns.exec([]) });
    theirs = `network+unix:///system?socket=${libvirtd.sock}`;
    // A network on a host bridge: no firewall (libvirtd's needs iptables), no dnsmasq; ports plug into the bridge.
    ns.run('ip', 'link', 'add', 'vkcmp0', 'type', 'bridge');
    fs.writeFileSync(path.join(work, 'net.xml'), `<network><name>cmpnet</name><forward mode='bridge'/><bridge name='vkcmp0'/></network>\n`);
    fs.writeFileSync(path.join(work, 'port.xml'), PORT_XML);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await libvirtd?.stop();
    ns?.remove();
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 30_000);

  /** One session: every command's output and status, the network destroyed at the end. */
  const session = (uri: string) => {
    const run = (...args: string[]) => virsh(['-c', uri, ...args], work);
    const port = path.join(work, 'port.xml');
    const out = [
      run('net-create', path.join(work, 'net.xml')),
      run('net-port-list', 'cmpnet'),
      run('net-port-create', 'cmpnet', port),
      run('net-port-create', 'cmpnet', port),
      run('net-port-list', 'cmpnet'),
      run('net-port-list', 'cmpnet', '--uuid'),
      run('net-port-dumpxml', 'cmpnet', PORT_UUID),
      run('net-port-delete', 'cmpnet', PORT_UUID),
      run('net-port-delete', 'cmpnet', PORT_UUID),
      run('net-port-dumpxml', 'cmpnet', PORT_UUID),
      run('net-port-list', 'nosuch'),
    ];
    run('net-destroy', 'cmpnet');
    return out;
  };

  test('create, list, dump and delete print the same as libvirtd', () => {
    const mine = session(ours);
    const libvirts = session(theirs);
    expect(mine).toEqual(libvirts);
    expect(mine[6]!.out).toContain(`<plug type='bridge' bridge='vkcmp0'/>`);
  }, 60_000);
});
