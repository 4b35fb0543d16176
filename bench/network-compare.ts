/**
 * Virtual network start and destroy, virtkitd next to libvirtd 9.0 on the same machine, both
 * inside one network namespace this script makes (nothing touches the host's network). Each
 * daemon has a NAT network with a DHCP range (its own bridge and subnet); a round times
 * `virsh net-start` (bridge, addresses, firewall rules, dnsmasq up and serving) and
 * `virsh net-destroy` as whole virsh processes against each daemon, interleaved so load drift
 * hits both alike. virsh is the client for both, so the difference is the daemons'.
 * Then NIC hotplug: a small running domain (64 MiB, no disk, TCG) on each daemon gets
 * `virsh attach-interface DOM network benchnet --live` timed (tap made, bridged, netdev_add +
 * device_add answered), the domain destroyed between rounds.
 *
 *   npx tsx bench/network-compare.ts [ROUNDS]      (root; the libvirt column needs libvirtd)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeNetNs, startDaemon } from '@virtkit/testkit';
import { libvirtUnavailable, PrivateLibvirtd } from './qemu-compare/libvirtd';
import { median, runTimed } from './qemu-compare/measure';

const ROUNDS = Number(process.argv[2] ?? 7);

const networkXml = (name: string, bridge: string, net: number) => `<network>
  <name>${name}</name>
  <forward mode='nat'/>
  <bridge name='${bridge}'/>
  <ip address='192.168.${net}.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.${net}.2' end='192.168.${net}.254'/></dhcp>
  </ip>
</network>
`;

interface Contender {
  label: string;
  uri: string;
  start: number[];
  destroy: number[];
  attach: number[];
}

const domainXml = `<domain type='qemu'><name>nicbench</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><features><acpi/></features></domain>\n`;

async function virsh(uri: string, ...args: string[]): Promise<number> {
  const r = await runTimed(['virsh', '-c', uri, ...args]);
  if (!/started|destroyed|defined|undefined|attached/.test(r.stdout)) throw new Error(`virsh ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.ms;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netbench-'));
  const ns = makeNetNs('netbench');
  const daemon = await startDaemon(['--qemu-root', path.join(work, 'root')], {}, ns.exec([]));
  const why = libvirtUnavailable();
  const lv = why ? undefined : new PrivateLibvirtd(path.join(work, 'libvirt'), ns.exec([]));
  const contenders: Contender[] = [
    { label: 'virtkitd', uri: `qemu+unix:///system?socket=${daemon.sock}`, start: [], destroy: [], attach: [] },
  ];
  try {
    if (lv) {
      await lv.start();
      contenders.push({ label: 'libvirtd 9.0', uri: lv.uri, start: [], destroy: [], attach: [] });
    } else console.log(`libvirt column skipped: ${why}`);
    for (const [i, c] of contenders.entries()) {
      const file = path.join(work, `net${i}.xml`);
      fs.writeFileSync(file, networkXml('benchnet', `vkbench${i}`, 180 + i));
      await virsh(c.uri, 'net-define', file);
    }
    // One warm-up round each, not counted (first dnsmasq/nft/iptables exec, page cache).
    for (let round = -1; round < ROUNDS; round++) {
      for (const c of contenders) {
        const s = await virsh(c.uri, 'net-start', 'benchnet');
        const d = await virsh(c.uri, 'net-destroy', 'benchnet');
        if (round >= 0) {
          c.start.push(s);
          c.destroy.push(d);
        }
      }
    }
    fs.writeFileSync(path.join(work, 'dom.xml'), domainXml);
    for (const c of contenders) {
      await virsh(c.uri, 'net-start', 'benchnet');
      await virsh(c.uri, 'define', path.join(work, 'dom.xml'));
    }
    for (let round = -1; round < ROUNDS; round++) {
      for (const c of contenders) {
        await virsh(c.uri, 'start', 'nicbench');
        const a = await virsh(c.uri, 'attach-interface', 'nicbench', 'network', 'benchnet', '--model', 'virtio', '--live');
        await virsh(c.uri, 'destroy', 'nicbench');
        if (round >= 0) c.attach.push(a);
      }
    }
    for (const c of contenders) {
      await virsh(c.uri, 'undefine', 'nicbench');
      await virsh(c.uri, 'net-destroy', 'benchnet');
    }
    const load = os.loadavg()[0]!.toFixed(2);
    console.log(`${ROUNDS} rounds, ${new Date().toISOString()}, load ${load}`);
    console.log('| contender | net-start (median ms) | net-destroy (median ms) | attach-interface --live (median ms) |');
    console.log('|---|---:|---:|---:|');
    for (const c of contenders)
      console.log(`| ${c.label} | ${median(c.start).toFixed(1)} | ${median(c.destroy).toFixed(1)} | ${median(c.attach).toFixed(1)} |`);
    if (contenders.length === 2) {
      const [a, b] = contenders as [Contender, Contender];
      const r = (x: number[], y: number[]) => (median(x) / median(y)).toFixed(2);
      console.log(
        `ratio virtkitd / libvirtd: start ${r(a.start, b.start)}x, destroy ${r(a.destroy, b.destroy)}x, attach ${r(a.attach, b.attach)}x`,
      );
    }
    for (const c of contenders) await virsh(c.uri, 'net-undefine', 'benchnet').catch(() => 0);
  } finally {
    // dnsmasq and QEMU outlive their daemon: stop them through it first (a failed round leaves them).
    for (const c of contenders) {
      await virsh(c.uri, 'destroy', 'nicbench').catch(() => 0);
      await virsh(c.uri, 'net-destroy', 'benchnet').catch(() => 0);
    }
    await lv?.stop();
    lv?.removeMountPoints();
    await daemon.stop();
    ns.remove();
    fs.rmSync(daemon.dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
