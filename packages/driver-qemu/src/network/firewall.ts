/**
 * Forwarding and NAT rules of a network (libvirt's network_iptables.c rules, same meaning).
 *
 * Why nftables and not iptables as libvirt 9.0: Debian 12 ships nftables as its firewall (its
 * `iptables` is the iptables-nft front end over the same kernel tables), and nft lets each
 * network own one table, `inet virtkit_BRIDGE`, replaced in one atomic transaction (`nft -f`) and
 * removed with one `delete table`: no rule of another network or of the host is ever touched, and a
 * restart re-applies the table without duplicating rules. libvirt 10 moved to an nftables backend
 * built the same way. Accept rules here do not override a drop in another table (nftables
 * evaluates every table); like libvirt's they only open DHCP/DNS towards the host and decide
 * what is forwarded to and from the bridge.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { formatIp, ipPrefix, type IpAddr, type NetworkDef, type NetworkIp } from '@virtkit/xml';
import { netdevError } from '../net/iproute';

/** The table of a network (nft names take letters, digits and `_`). */
export function tableName(bridge: string): string {
  return `virtkit_${bridge.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function nft(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('nft', ['-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err.trim() || `nft exited with ${code}`))));
    p.stdin.end(script);
  });
}

/** The address with its host part cleared. */
function maskIp(a: IpAddr, prefix: number): IpAddr {
  const bytes = a.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return { family: a.family, bytes };
}

/** `192.168.122.0/24` for an `<ip>`: its network. */
function subnet(a: NetworkIp): string {
  const prefix = ipPrefix(a.address, a.netmask, a.prefix);
  return `${formatIp(maskIp(a.address, prefix))}/${prefix}`;
}

const q = (s: string) => JSON.stringify(s);

/** The forward chain: what may leave and enter the network through the host. */
function forwardRules(def: NetworkDef, br: string): string[] {
  const mode = def.forward.mode;
  const dev = def.forward.ifs[0]?.type === 'netdev' ? def.forward.ifs[0].dev : undefined;
  const out = dev ? ` oifname ${q(dev)}` : '';
  const inDev = dev ? ` iifname ${q(dev)}` : '';
  const rules: string[] = [];
  if (mode === 'nat' || mode === 'route') {
    for (const a of def.ips) {
      const fam = a.address.family === 6 ? 'ip6' : 'ip';
      rules.push(`iifname ${q(br)}${out} ${fam} saddr ${subnet(a)} accept`);
      // NAT (IPv4) lets in only replies; routed subnets (and IPv6 of a NAT network) take any traffic.
      const natted = mode === 'nat' && (a.address.family === 4 || def.forward.natIPv6 === 'yes');
      rules.push(`oifname ${q(br)}${inDev} ${fam} daddr ${subnet(a)}${natted ? ' ct state related,established' : ''} accept`);
    }
  }
  rules.push(`iifname ${q(br)} oifname ${q(br)} accept`, `iifname ${q(br)} reject`, `oifname ${q(br)} reject`);
  return rules;
}

/** The postrouting chain of a NAT network: masquerade what leaves its IPv4 subnets. */
function natRules(def: NetworkDef): string[] {
  const f = def.forward;
  const dev = f.ifs[0]?.type === 'netdev' ? ` oifname ${q(f.ifs[0].dev)}` : '';
  const rules: string[] = [];
  for (const a of def.ips) {
    const v6 = a.address.family === 6;
    if (v6 && f.natIPv6 !== 'yes') continue;
    const fam = v6 ? 'ip6' : 'ip';
    const net = subnet(a);
    const from = `${fam} saddr ${net}${dev}`;
    // Multicast and broadcast stay on the host (libvirt's "return" rules).
    if (!v6) rules.push(`${from} ip daddr 224.0.0.0/24 return`, `${from} ip daddr 255.255.255.255 return`);
    else rules.push(`${from} ip6 daddr ff02::/16 return`);
    const addr = f.natAddrStart ? ` ${fam} to ${formatIp(f.natAddrStart)}${f.natAddrEnd ? `-${formatIp(f.natAddrEnd)}` : ''}` : '';
    const ports = `:${f.natPortStart || 1024}-${f.natPortEnd || 65535}`;
    const action = addr ? `snat${addr}` : 'masquerade to';
    rules.push(`${from} ${fam} daddr != ${net} meta l4proto { tcp, udp } ${action}${addr ? ports : ` ${ports}`}`);
    rules.push(`${from} ${fam} daddr != ${net} ${addr ? `snat${addr}` : 'masquerade'}`);
  }
  return rules;
}

/** The whole table of a network with a bridge of its own (none, nat, route); open gets none. */
export function networkRuleset(def: NetworkDef): string {
  const br = def.bridge!;
  const table = `inet ${tableName(br)}`;
  const chain = (name: string, hook: string, rules: string[]) =>
    `  chain ${name} {\n    type ${hook}; policy accept;\n${rules.map((r) => `    ${r}\n`).join('')}  }\n`;
  let body = '';
  body += chain('input', 'filter hook input priority filter', [
    `iifname ${q(br)} udp dport { 53, 67, 547 } accept`,
    `iifname ${q(br)} tcp dport 53 accept`,
  ]);
  body += chain('output', 'filter hook output priority filter', [`oifname ${q(br)} udp dport { 68, 546 } accept`]);
  body += chain('forward', 'filter hook forward priority filter', forwardRules(def, br));
  if (def.forward.mode === 'nat') body += chain('postrouting', 'nat hook postrouting priority srcnat', natRules(def));
  // Declaring the table first makes the delete succeed when it does not exist yet: one atomic replace.
  return `table ${table}\ndelete table ${table}\ntable ${table} {\n${body}}\n`;
}

/** networkAddFirewallRules, plus the forwarding sysctls nat and route need. */
export async function addFirewallRules(def: NetworkDef): Promise<void> {
  if (!def.bridge || !['none', 'nat', 'route'].includes(def.forward.mode)) return;
  try {
    await nft(networkRuleset(def));
  } catch (e) {
    throw netdevError(`Failed to apply firewall rules of network '${def.name}'`, e);
  }
  if (def.forward.mode === 'none') return;
  if (def.ips.some((a) => a.address.family === 4)) fs.writeFileSync('/proc/sys/net/ipv4/ip_forward', '1\n');
  if (def.ips.some((a) => a.address.family === 6)) fs.writeFileSync('/proc/sys/net/ipv6/conf/all/forwarding', '1\n');
}

/** networkRemoveFirewallRules. */
export async function removeFirewallRules(def: NetworkDef): Promise<void> {
  if (!def.bridge) return;
  const table = `inet ${tableName(def.bridge)}`;
  await nft(`table ${table}\ndelete table ${table}\n`).catch(() => undefined);
}
