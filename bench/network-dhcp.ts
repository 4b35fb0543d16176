/**
 * DHCP on a virtual network, virtkitd next to libvirtd 9.0, both inside one network namespace this
 * script makes (nothing touches the host's network). Each daemon has a NAT network shaped like
 * libvirt's `default` (its own bridge and subnet).
 *
 * 1. Network start to DHCP-ready: a probe in a second namespace, on a veth plugged into the bridge
 *    as soon as it exists, sends a DHCPDISCOVER every 20 ms (bench/dhcp-probe.py); the figure is
 *    the time from launching `virsh net-start` to the first DHCPOFFER.
 * 2. The lease as the tiny guest sees it: the guest boots on the network with its serial console
 *    on a socket this script listens on, and each console line is stamped as it arrives. The
 *    figures are the time from the line its init prints just before starting udhcpc (`eth0 mac …`)
 *    to the one udhcpc's hook prints (`bound eth0 … lease Ns`), the time from launching
 *    `virsh start` to that line, and the lease duration the guest was given.
 * 3. The bridge's STP (libvirt's default `stp='on' delay='0'`; the kernel keeps a 2 s forward delay
 *    with STP on) holds a new port back for listening + learning: pass `stp=off` as the third
 *    argument to see the daemons' part alone.
 *
 * Rounds alternate between the daemons so load drift hits both alike; virsh is the client of both.
 *
 *   npx tsx bench/network-dhcp.ts [ROUNDS] [GUEST_ROUNDS] [stp=off]   (root; the libvirt column needs libvirtd)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeNetNs, startDaemon, tinyGuest, tinyGuestLines, type NetNs } from '@virtkit/testkit';
import { libvirtUnavailable, PrivateLibvirtd } from './qemu-compare/libvirtd';
import { median, runTimed } from './qemu-compare/measure';

const ROUNDS = Number(process.argv[2] ?? 5);
const GUEST_ROUNDS = Number(process.argv[3] ?? 2);
const STP = process.argv[4] === 'stp=off' ? 'off' : 'on';
const PROBE = path.join(__dirname, 'dhcp-probe.py');

const networkXml = (bridge: string, net: number) => `<network>
  <name>dhcpbench</name>
  <forward mode='nat'/>
  <bridge name='${bridge}' stp='${STP}' delay='0'/>
  <ip address='192.168.${net}.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.${net}.2' end='192.168.${net}.254'/></dhcp>
  </ip>
</network>
`;

const guestXml = (consoleSock: string) => {
  const { kernel, initrd } = tinyGuest();
  return `<domain type='qemu'><name>leasebench</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 quiet tg.counter=0</cmdline></os>
<features><acpi/></features>
<devices><interface type='network'><source network='dhcpbench'/><model type='virtio'/></interface>
<serial type='unix'><source mode='connect' path='${consoleSock}'/><target port='0'/></serial></devices></domain>
`;
};

interface Contender {
  label: string;
  uri: string;
  bridge: string;
  /** The probe's end of its veth pair (in the client namespace) and its MAC. */
  probeIf: string;
  probeMac: string;
  netStart: number[];
  dhcpReady: number[];
  /** From the console line that starts udhcpc to the one reporting its lease. */
  guestExchange: number[];
  guestWall: number[];
  leaseSeconds: Set<string>;
}

async function virsh(uri: string, ...args: string[]): Promise<number> {
  return (await runTimed(['virsh', '-c', uri, ...args])).ms;
}

/** Start the probe in the client namespace; resolves once it is sending, with the promise of its offer time (ms). */
async function startProbe(client: NetNs, c: Contender): Promise<{ proc: ChildProcess; offer: Promise<number> }> {
  const argv = client.exec(['python3', PROBE, c.probeIf, c.probeMac]);
  const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((r) => (ready = r));
  const offer = new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) ready();
      const m = /offer ([\d.]+)/.exec(out);
      if (m) resolve(Number(m[1]) * 1000);
    });
    proc.on('close', (code) => reject(new Error(`dhcp probe exited ${code} without an offer`)));
  });
  offer.catch(() => undefined);
  await isReady;
  return { proc, offer };
}

/** Plug the probe's veth into the bridge the moment `net-start` has made it. */
function plugWhenBridged(ns: NetNs, c: Contender): ChildProcess {
  const veth = `${c.probeIf}-br`;
  const argv = ns.exec(['sh', '-c', `until ip link set ${veth} master ${c.bridge} up 2>/dev/null; do sleep 0.02; done`]);
  return spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
}

async function dhcpReadyRound(ns: NetNs, client: NetNs, c: Contender): Promise<{ start: number; ready: number }> {
  const probe = await startProbe(client, c);
  const plug = plugWhenBridged(ns, c);
  const t0 = Date.now();
  const start = await virsh(c.uri, 'net-start', 'dhcpbench');
  const ready = (await probe.offer) - t0;
  plug.kill();
  probe.proc.kill();
  await virsh(c.uri, 'net-destroy', 'dhcpbench');
  return { start, ready };
}

/** What the guest said on its console: its `tiny-guest:` lines with their arrival time (ms). */
interface ConsoleServer {
  server: net.Server;
  lines: Array<{ at: number; text: string }>;
}

/** A socket the guest's serial console connects to; each complete line is stamped as it arrives. */
async function consoleServer(sock: string): Promise<ConsoleServer> {
  const con: ConsoleServer = { server: net.createServer(), lines: [] };
  let partial = '';
  con.server.on('connection', (c) =>
    c.on('data', (d: Buffer) => {
      const at = Date.now();
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop()!;
      for (const text of tinyGuestLines(parts.join('\n'))) con.lines.push({ at, text });
    }),
  );
  await new Promise<void>((r) => con.server.listen(sock, r));
  return con;
}

async function guestRound(c: Contender, con: ConsoleServer): Promise<{ exchange: number; wall: number; lease: string }> {
  con.lines.length = 0;
  await virsh(c.uri, 'net-start', 'dhcpbench');
  const t0 = Date.now();
  await virsh(c.uri, 'start', 'leasebench');
  const deadline = t0 + 300_000;
  for (;;) {
    // init prints "eth0 mac … carrier 1" and starts udhcpc at once; its hook prints "bound eth0 …".
    const up = con.lines.find((l) => l.text.startsWith('eth0 mac '));
    const bound = con.lines.find((l) => l.text.startsWith('bound eth0 '));
    if (up && bound) {
      const lease = /lease (\d+)s/.exec(bound.text)?.[1] ?? '?';
      await virsh(c.uri, 'destroy', 'leasebench');
      await virsh(c.uri, 'net-destroy', 'dhcpbench');
      return { exchange: bound.at - up.at, wall: bound.at - t0, lease };
    }
    if (Date.now() > deadline) throw new Error(`${c.label}: no lease in 300 s; console:\n${con.lines.map((l) => l.text).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dhcpbench-'));
  const ns = makeNetNs('dhcpbench');
  const client = makeNetNs('dhcpprobe');
  const daemon = await startDaemon(['--qemu-root', path.join(work, 'root')], {}, ns.exec([]));
  const why = libvirtUnavailable();
  const lv = why ? undefined : new PrivateLibvirtd(path.join(work, 'libvirt'), ns.exec([]));
  const contender = (label: string, uri: string, i: number): Contender => ({
    label,
    uri,
    bridge: `vkdhcp${i}`,
    probeIf: `probe${i}`,
    probeMac: `52:54:00:ee:00:0${i}`,
    netStart: [],
    dhcpReady: [],
    guestExchange: [],
    guestWall: [],
    leaseSeconds: new Set(),
  });
  const contenders = [contender('virtkitd', `qemu+unix:///system?socket=${daemon.sock}`, 0)];
  try {
    if (lv) {
      await lv.start();
      contenders.push(contender('libvirtd 9.0', lv.uri, 1));
    } else console.log(`libvirt column skipped: ${why}`);
    for (const [i, c] of contenders.entries()) {
      const file = path.join(work, `net${i}.xml`);
      fs.writeFileSync(file, networkXml(c.bridge, 190 + i));
      await virsh(c.uri, 'net-define', file);
      ns.run('ip', 'link', 'add', `${c.probeIf}-br`, 'type', 'veth', 'peer', 'name', c.probeIf, 'netns', client.name);
      client.run('ip', 'link', 'set', c.probeIf, 'address', c.probeMac, 'up');
      fs.writeFileSync(path.join(work, `guest${i}.xml`), guestXml(path.join(work, `console${i}.sock`)));
      await virsh(c.uri, 'define', path.join(work, `guest${i}.xml`));
    }
    // One warm-up round each, not counted (first dnsmasq/nft/iptables exec, page cache).
    for (let round = -1; round < ROUNDS; round++) {
      for (const c of contenders) {
        const r = await dhcpReadyRound(ns, client, c);
        if (round < 0) continue;
        c.netStart.push(r.start);
        c.dhcpReady.push(r.ready);
      }
    }
    const m = (xs: number[]) => median(xs).toFixed(0);
    const ratio = (x: number[], y: number[]) => (median(x) / median(y)).toFixed(2);
    console.log(`${ROUNDS} network rounds, stp ${STP}, ${new Date().toISOString()}, load ${os.loadavg()[0]!.toFixed(2)}`);
    console.log('| contender | `virsh net-start` (ms) | launch of net-start to first DHCPOFFER (ms) |\n|---|---:|---:|');
    for (const c of contenders) console.log(`| ${c.label} | ${m(c.netStart)} | ${m(c.dhcpReady)} |`);
    const [a, b] = contenders;
    if (a && b)
      console.log(`ratio virtkitd / libvirtd: net-start ${ratio(a.netStart, b.netStart)}x, DHCP-ready ${ratio(a.dhcpReady, b.dhcpReady)}x`);

    const consoles = await Promise.all(contenders.map((_, i) => consoleServer(path.join(work, `console${i}.sock`))));
    try {
      for (let round = 0; round < GUEST_ROUNDS; round++) {
        for (const [i, c] of contenders.entries()) {
          const r = await guestRound(c, consoles[i]!);
          c.guestExchange.push(r.exchange);
          c.guestWall.push(r.wall);
          c.leaseSeconds.add(r.lease);
        }
      }
    } finally {
      for (const con of consoles) con.server.close();
    }
    console.log(`${GUEST_ROUNDS} guest rounds, ${new Date().toISOString()}, load ${os.loadavg()[0]!.toFixed(2)}`);
    console.log('| contender | guest: udhcpc start to lease (ms) | `virsh start` to lease (ms) | lease given |\n|---|---:|---:|---|');
    for (const c of contenders)
      console.log(`| ${c.label} | ${m(c.guestExchange)} | ${m(c.guestWall)} | ${[...c.leaseSeconds].join(', ')} s |`);
    if (a && b)
      console.log(
        `ratio virtkitd / libvirtd: udhcpc to lease ${ratio(a.guestExchange, b.guestExchange)}x, wall ${ratio(a.guestWall, b.guestWall)}x`,
      );
  } finally {
    // dnsmasq and QEMU outlive their daemon: stop them through it first (a failed round leaves them).
    for (const c of contenders) {
      await virsh(c.uri, 'destroy', 'leasebench').catch(() => 0);
      await virsh(c.uri, 'undefine', 'leasebench').catch(() => 0);
      await virsh(c.uri, 'net-destroy', 'dhcpbench').catch(() => 0);
      await virsh(c.uri, 'net-undefine', 'dhcpbench').catch(() => 0);
    }
    await lv?.stop();
    lv?.removeMountPoints();
    await daemon.stop();
    client.remove();
    ns.remove();
    fs.rmSync(daemon.dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
