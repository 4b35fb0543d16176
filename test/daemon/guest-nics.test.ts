/**
 * Guest NICs on real QEMU: virtkitd runs inside a network namespace the test makes (`ip netns
 * exec`), with a private QEMU root, and real virsh drives it. A domain with `ethernet` (managed,
 * and a pre-made tap with managed='no'), `bridge`, `network` and `user` interfaces starts: each
 * managed tap is created as vnetN with the guest MAC's first byte changed to fe, its MTU, its
 * bridge and the link up, and QEMU opens it by name; stopping the domain deletes exactly those
 * taps. Failed starts leave no tap behind and report libvirt's errors. The tiny guest gets a
 * DHCP lease from a dnsmasq on the network's bridge and pings the bridge address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  testIf,
  killLeftoverQemu,
  makeNetNs,
  startDaemon,
  tinyGuest,
  tinyGuestLines,
  virsh,
  waitFor,
  type NetNs,
  type RunningDaemon,
} from '@virtkit/testkit';

const MACS = { eth: '52:54:00:00:01:01', pre: '52:54:00:00:01:02', br: '52:54:00:00:01:03', net: '52:54:00:00:01:04' };

function nicDomainXml(name: string, nics: string, extra = ''): string {
  return (
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64'>hvm</type>${extra}</os><devices>${nics}</devices></domain>\n`
  );
}

const nic = (type: string, mac: string, inner: string) =>
  `<interface type='${type}'><mac address='${mac}'/>${inner}<model type='virtio'/></interface>`;

/** The one `-netdev` argument of QEMU's command line whose JSON has this id. */
function netdevArg(pid: number, id: string): Record<string, unknown> | undefined {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  for (let i = 0; i < argv.length - 1; i++) {
    if (argv[i] !== '-netdev') continue;
    const v = JSON.parse(argv[i + 1]!) as Record<string, unknown>;
    if (v.id === id) return v;
  }
  return undefined;
}

function qemuPid(root: string, name: string): number {
  return (JSON.parse(fs.readFileSync(path.join(root, 'run', `${name}.json`), 'utf8')) as { pid: number }).pid;
}

describeIf(
  'virsh',
  'qemu',
  'net admin',
)('guest NICs on QEMU through virtkitd in a network namespace', () => {
  let ns: NetNs;
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);
  const vnets = () => [...ns.links().keys()].filter((n) => n.startsWith('vnet')).sort();

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'guest-nics-'));
    root = path.join(work, 'qemu-root');
    ns = makeNetNs('nic');
    ns.run('ip', 'link', 'add', 'br0', 'type', 'bridge');
    ns.run('ip', 'link', 'set', 'br0', 'mtu', '1450');
    ns.run('ip', 'addr', 'add', '192.168.150.1/24', 'dev', 'br0');
    ns.run('ip', 'link', 'set', 'br0', 'up');
    ns.run('ip', 'tuntap', 'add', 'dev', 'pretap0', 'mode', 'tap');
    // A running network as the network driver records it: its bridge is br0, its MTU 1400.
    fs.mkdirSync(path.join(root, 'run', 'network'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'run', 'network', 'testnet.xml'),
      `<networkstatus><network><name>testnet</name><forward mode='nat'/><bridge name='br0'/><mtu size='1400'/></network></networkstatus>\n`,
    );
    fs.mkdirSync(path.join(root, 'etc', 'networks'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc', 'networks', 'offnet.xml'), `<network><name>offnet</name></network>\n`);
    daemon = await startDaemon(['--qemu-root', root], {}, ns.exec([]));
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
  }, 60_000);

  afterAll(async () => {
    if (daemon) await daemon.stop();
    if (root) killLeftoverQemu(root);
    ns?.remove();
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
  }, 30_000);

  test('ethernet, managed=no, bridge, network and user NICs get their host side, removed at stop', () => {
    const nics =
      nic('ethernet', MACS.eth, `<mtu size='1300'/>`) +
      nic('ethernet', MACS.pre, `<target dev='pretap0' managed='no'/>`) +
      nic('bridge', MACS.br, `<source bridge='br0'/><link state='down'/>`) +
      nic('network', MACS.net, `<source network='testnet'/>`) +
      nic('user', '52:54:00:00:01:05', '');
    fs.writeFileSync(path.join(work, 'nics.xml'), nicDomainXml('nics', nics));
    expect(run('define', path.join(work, 'nics.xml')).status).toBe(0);
    const start = run('start', 'nics');
    expect(start.out).toBe("Domain 'nics' started\n\n");

    const xml = run('dumpxml', 'nics').out;
    const targets = [...xml.matchAll(/<target dev='([^']+)'( managed='no')?\/>/g)].map((m) => m[1]! + (m[2] ?? ''));
    expect(targets).toEqual(['vnet0', "pretap0 managed='no'", 'vnet1', 'vnet2']);

    const links = ns.links();
    const vnet0 = links.get('vnet0')!;
    expect(vnet0).toMatchObject({ address: 'fe:54:00:00:01:01', mtu: 1300 });
    expect(vnet0.flags).toContain('UP');
    expect((vnet0.linkinfo as { info_kind: string }).info_kind).toBe('tun');
    expect(vnet0.master).toBeUndefined();
    // On a bridge: the bridge's MTU, or the network's.
    expect(links.get('vnet1')).toMatchObject({ address: 'fe:54:00:00:01:03', mtu: 1450, master: 'br0' });
    expect(links.get('vnet2')).toMatchObject({ address: 'fe:54:00:00:01:04', mtu: 1400, master: 'br0' });
    expect(links.get('vnet2')!.flags).toContain('UP');
    // The pre-made tap keeps its own MAC and stays off any bridge.
    expect(links.get('pretap0')!.address).not.toBe('fe:54:00:00:01:02');
    expect(links.get('pretap0')!.master).toBeUndefined();

    expect(run('domif-getlink', 'nics', 'vnet0').out).toBe('vnet0 up\n');
    expect(run('domif-getlink', 'nics', 'vnet1').out).toBe('vnet1 down\n');
    expect(run('domiflist', 'nics').out).toBe(
      [
        ' Interface   Type       Source    Model    MAC',
        '-'.repeat(62),
        ` vnet0       ethernet   -         virtio   ${MACS.eth}`,
        ` pretap0     ethernet   -         virtio   ${MACS.pre}`,
        ` vnet1       bridge     br0       virtio   ${MACS.br}`,
        ` vnet2       network    testnet   virtio   ${MACS.net}`,
        ` -           user       -         virtio   52:54:00:00:01:05`,
        '',
        '',
      ].join('\n'),
    );

    const pid = qemuPid(root, 'nics');
    expect(netdevArg(pid, 'hostnet0')).toEqual({ type: 'tap', ifname: 'vnet0', script: 'no', downscript: 'no', id: 'hostnet0' });
    expect(netdevArg(pid, 'hostnet1')).toMatchObject({ type: 'tap', ifname: 'pretap0' });
    expect(netdevArg(pid, 'hostnet3')).toMatchObject({ type: 'tap', ifname: 'vnet2' });
    expect(netdevArg(pid, 'hostnet4')).toEqual({ type: 'user', id: 'hostnet4' });

    expect(run('destroy', 'nics').status).toBe(0);
    expect(vnets()).toEqual([]);
    expect(ns.links().has('pretap0')).toBe(true);
    expect(ns.run('ip', '-o', 'link', 'show', 'master', 'br0')).toBe('');
    // The inactive definition does not keep the generated names.
    expect(run('dumpxml', 'nics').out).not.toMatch(/vnet/);
    expect(run('undefine', 'nics').status).toBe(0);
  });

  testIf('tc shaping')('<bandwidth> is shaped with HTB towards the guest and policed from it, sides swapped on a bridge port', () => {
    const bw = `<bandwidth><inbound average='1000' peak='2000' burst='64'/><outbound average='500'/></bandwidth>`;
    fs.writeFileSync(
      path.join(work, 'bw.xml'),
      nicDomainXml('bw', nic('bridge', MACS.br, `<source bridge='br0'/>${bw}`) + nic('ethernet', MACS.eth, bw)),
    );
    expect(run('create', path.join(work, 'bw.xml')).status).toBe(0);
    try {
      const qdiscs = (dev: string) =>
        (JSON.parse(ns.run('tc', '-j', 'qdisc', 'show', 'dev', dev)) as Array<{ kind: string }>).map((q) => q.kind).sort();
      // The bridge port: inbound on its egress (HTB class, SFQ below), outbound policed on ingress.
      expect(qdiscs('vnet0')).toEqual(['htb', 'ingress', 'sfq']);
      expect(ns.run('tc', 'class', 'show', 'dev', 'vnet0')).toMatch(/rate 8Mbit ceil 16Mbit burst 64Kb/);
      expect(ns.run('tc', 'filter', 'show', 'dev', 'vnet0', 'ingress')).toMatch(/police .*rate 4Mbit/);
      // The ethernet tap shares the host's view: outbound shaped, inbound policed.
      expect(ns.run('tc', 'class', 'show', 'dev', 'vnet1')).toMatch(/rate 4Mbit/);
      expect(ns.run('tc', 'filter', 'show', 'dev', 'vnet1', 'ingress')).toMatch(/police .*rate 8Mbit/);
    } finally {
      run('destroy', 'bw');
    }
  });

  test('a direct interface gets a macvtap on its source device, passed to QEMU as a descriptor', () => {
    ns.run('ip', 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.run('ip', 'link', 'set', 'v0', 'up');
    const mac = '52:54:00:00:02:01';
    fs.writeFileSync(path.join(work, 'direct.xml'), nicDomainXml('direct', nic('direct', mac, `<source dev='v0' mode='bridge'/>`)));
    expect(run('create', path.join(work, 'direct.xml')).status).toBe(0);
    try {
      expect(run('dumpxml', 'direct').out).toMatch(/<source dev='v0' mode='bridge'\/>\s*<target dev='macvtap0'\/>/);
      const mvt = ns.links().get('macvtap0') as {
        ifindex: number;
        address: string;
        link: string;
        flags: string[];
        linkinfo: { info_kind: string; info_data: { mode: string } };
      };
      expect(mvt).toMatchObject({ address: mac, link: 'v0', linkinfo: { info_kind: 'macvtap', info_data: { mode: 'bridge' } } });
      expect(mvt.flags).toContain('UP');
      const pid = qemuPid(root, 'direct');
      expect(netdevArg(pid, 'hostnet0')).toEqual({ type: 'tap', fd: '4', id: 'hostnet0' });
      // fd 4 of QEMU is the macvtap's character device: devtmpfs' node, or one made and removed once opened.
      expect(fs.readlinkSync(`/proc/${pid}/fd/4`)).toMatch(new RegExp(`^/dev/tap${mvt.ifindex}$|/tap${mvt.ifindex} \\(deleted\\)$`));
    } finally {
      run('destroy', 'direct');
    }
    expect(ns.links().has('macvtap0')).toBe(false);
    expect(ns.links().has('v0')).toBe(true);
  });

  test('a failed start removes the taps it made and reports libvirt errors', () => {
    const cases: Array<[string, string]> = [
      [
        nic('bridge', MACS.br, `<source bridge='nosuchbr'/>`),
        /^error: Unable to add bridge nosuchbr port vnet\d+: No such device$/m.source,
      ],
      [
        nic('ethernet', MACS.pre, `<target dev='gone0' managed='no'/>`),
        "^error: internal error: target managed='no' but specified dev doesn't exist$",
      ],
      [nic('network', MACS.net, `<source network='nonet'/>`), "^error: Network not found: no network with matching name 'nonet'$"],
      [nic('network', MACS.net, `<source network='offnet'/>`), "^error: Requested operation is not valid: network 'offnet' is not active$"],
    ];
    for (const [bad, error] of cases) {
      // A good managed tap first, so there is something to clean up.
      fs.writeFileSync(path.join(work, 'bad.xml'), nicDomainXml('bad', nic('ethernet', MACS.eth, '') + bad));
      const r = run('create', path.join(work, 'bad.xml'));
      expect(r.status).toBe(1);
      expect(r.out).toMatch(new RegExp(error, 'm'));
      expect(vnets()).toEqual([]);
    }
    expect(run('list', '--all', '--name').out.trim()).toBe('');
  });

  test('the taps of a domain that died while the daemon was down are deleted when it comes back', async () => {
    fs.writeFileSync(path.join(work, 'dead.xml'), nicDomainXml('dead', nic('bridge', MACS.br, `<source bridge='br0'/>`)));
    expect(run('create', path.join(work, 'dead.xml')).status).toBe(0);
    expect(vnets()).toHaveLength(1);
    const pid = qemuPid(root, 'dead');
    daemon.proc.kill('SIGKILL');
    await daemon.stop();
    fs.rmSync(daemon.dir, { recursive: true, force: true });
    process.kill(pid, 'SIGKILL');
    // Gone, or a zombie nobody reaps yet: either way no longer running.
    await waitFor(
      () => !fs.existsSync(`/proc/${pid}/stat`) || / Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')),
      10_000,
      'QEMU to die',
    );
    expect(vnets()).toHaveLength(1);
    daemon = await startDaemon(['--qemu-root', root], {}, ns.exec([]));
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    expect(run('list', '--all', '--name').out.trim()).toBe('');
    expect(vnets()).toEqual([]);
  }, 60_000);

  describeIf('tiny-guest', 'dnsmasq')('with the tiny guest', () => {
    let dnsmasq: ChildProcess | undefined;

    afterAll(() => {
      if (dnsmasq?.exitCode === null) dnsmasq.kill('SIGKILL');
    });

    test('gets a DHCP lease on a network bridge and pings the bridge address', async () => {
      const leases = path.join(work, 'dnsmasq.leases');
      const argv = ns.exec([
        'dnsmasq',
        '--keep-in-foreground',
        '--conf-file=/dev/null',
        '--user=root',
        '--port=0',
        '--pid-file=',
        '--bind-interfaces',
        '--interface=br0',
        '--except-interface=lo',
        '--dhcp-range=192.168.150.10,192.168.150.50,1h',
        `--dhcp-leasefile=${leases}`,
      ]);
      dnsmasq = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
      let consoleText = '';
      const consolePath = path.join(work, 'console.sock');
      const server = net.createServer((c) => c.on('data', (d) => (consoleText += String(d))));
      await new Promise<void>((r) => server.listen(consolePath, r));
      try {
        const { kernel, initrd } = tinyGuest();
        const boot = `<kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet tg.counter=0</cmdline>`;
        const serial = `<serial type='unix'><source mode='connect' path='${consolePath}'/><target port='0'/></serial>`;
        // A second NIC whose link starts down: the guest sees no carrier on it.
        const nics =
          nic('network', MACS.net, `<source network='testnet'/>`) + nic('bridge', MACS.br, `<source bridge='br0'/><link state='down'/>`);
        fs.writeFileSync(path.join(work, 'guest.xml'), nicDomainXml('guest', nics + serial, boot));
        expect(run('create', path.join(work, 'guest.xml')).status).toBe(0);
        await waitFor(
          () => tinyGuestLines(consoleText).some((l) => l.startsWith('ping ')),
          240_000,
          'the guest to get a lease and ping',
        ).catch((e: Error) => {
          throw new Error(
            `${e.message}; console:\n${consoleText.slice(-3000)}\nQEMU log:\n${fs.readFileSync(path.join(root, 'log', 'guest.log'), 'utf8').slice(-2000)}`,
          );
        });
        const said = tinyGuestLines(consoleText);
        expect(said).toContain(`eth0 mac ${MACS.net} carrier 1`);
        expect(said).toContain(`eth1 mac ${MACS.br} carrier 0`);
        const bound = said.find((l) => l.startsWith('bound eth0 '))!;
        // dnsmasq names its own address on the bridge as the router; the guest pings it once.
        expect(bound).toMatch(/^bound eth0 192\.168\.150\.\d+\/24 router 192\.168\.150\.1 lease 3600s at /);
        expect(said).toContain('ping 192.168.150.1 ok');
        const ip = /192\.168\.150\.\d+/.exec(bound)![0];
        expect(fs.readFileSync(leases, 'utf8')).toContain(`${MACS.net} ${ip}`);
        // And the guest answers from the namespace's side of the bridge.
        expect(() => ns.run('busybox', 'ping', '-c', '1', '-W', '5', ip)).not.toThrow();
      } finally {
        run('destroy', 'guest');
        server.close();
      }
      expect(vnets()).toEqual([]);
    }, 300_000);
  });
});
