/**
 * Virtual network start and destroy, virtkitd next to libvirtd 9.0 on the same machine, both
 * inside one network namespace this script makes (nothing touches the host's network). Each
 * daemon has a NAT network with a DHCP range (its own bridge and subnet); a round times
 * `virsh net-start` (bridge, addresses, firewall rules, dnsmasq up and serving) and
 * `virsh net-destroy` as whole virsh processes against each daemon, interleaved so load drift
 * hits both alike. virsh is the client for both, so the difference is the daemons'.
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
}

async function virsh(uri: string, ...args: string[]): Promise<number> {
  const r = await runTimed(['virsh', '-c', uri, ...args]);
  if (!/started|destroyed|defined|undefined/.test(r.stdout)) throw new Error(`virsh ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.ms;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netbench-'));
  const ns = makeNetNs('netbench');
  const daemon = await startDaemon(['--qemu-root', path.join(work, 'root')], {}, ns.exec([]));
  const why = libvirtUnavailable();
  const lv = why ? undefined : new PrivateLibvirtd(path.join(work, 'libvirt'), ns.exec([]));
  const contenders: Contender[] = [
    { label: 'virtkitd', uri: `qemu+unix:///system?socket=${daemon.sock}`, start: [], destroy: [] },
  ];
  try {
    if (lv) {
      await lv.start();
      contenders.push({ label: 'libvirtd 9.0', uri: lv.uri, start: [], destroy: [] });
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
    const load = os.loadavg()[0]!.toFixed(2);
    console.log(`${ROUNDS} rounds, ${new Date().toISOString()}, load ${load}`);
    console.log('| contender | net-start (median ms) | net-destroy (median ms) |');
    console.log('|---|---:|---:|');
    for (const c of contenders) console.log(`| ${c.label} | ${median(c.start).toFixed(1)} | ${median(c.destroy).toFixed(1)} |`);
    if (contenders.length === 2) {
      const [a, b] = contenders as [Contender, Contender];
      console.log(`ratio virtkitd / libvirtd: start ${(median(a.start) / median(b.start)).toFixed(2)}x, destroy ${(median(a.destroy) / median(b.destroy)).toFixed(2)}x`);
    }
    for (const c of contenders) await virsh(c.uri, 'net-undefine', 'benchnet').catch(() => 0);
  } finally {
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
