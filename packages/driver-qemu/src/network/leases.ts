/**
 * A network's DHCP leases (libvirt's networkGetDHCPLeases) from dnsmasq's lease database. Each
 * line is `EXPIRY MAC IP HOSTNAME CLIENTID` for IPv4 and `EXPIRY IAID IP HOSTNAME DUID` for IPv6
 * (after a `duid SERVER-DUID` line); `*` stands for an absent hostname or client id, expiry 0
 * for an infinite lease. As libvirt, expired leases are left out and the prefix is the one of
 * the network `<ip>` the address belongs to.
 */
import * as fs from 'node:fs';
import { IPAddrType, type NetworkDHCPLease } from '@virtkit/core';
import { ipPrefix, tryParseIp, type IpAddr, type NetworkDef } from '@virtkit/xml';

/** Whether `a` and `b` share their first `prefix` bits. */
function samePrefix(a: IpAddr, b: IpAddr, prefix: number): boolean {
  if (a.family !== b.family) return false;
  for (let bit = 0; bit < prefix; bit++) {
    const m = 0x80 >> (bit % 8);
    if ((a.bytes[bit >> 3]! & m) !== (b.bytes[bit >> 3]! & m)) return false;
  }
  return true;
}

function prefixFor(def: NetworkDef, addr: IpAddr): number {
  for (const ip of def.ips) {
    const prefix = ipPrefix(ip.address, ip.netmask, ip.prefix);
    if (samePrefix(ip.address, addr, prefix)) return prefix;
  }
  return 0;
}

const opt = (field: string | undefined) => (field === undefined || field === '*' ? null : field);

/** Parse the lease file text of the network `def` (on bridge `def.bridge`) at time `now` (seconds). */
export function parseLeases(text: string, def: NetworkDef, now: number): NetworkDHCPLease[] {
  const out: NetworkDHCPLease[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || f[0] === 'duid') continue;
    const expiry = Number(f[0]);
    const addr = tryParseIp(f[2]!);
    if (!Number.isFinite(expiry) || !addr || (expiry !== 0 && expiry < now)) continue;
    const v6 = addr.family === 6;
    out.push({
      iface: def.bridge ?? '',
      expirytime: expiry,
      type: v6 ? IPAddrType.VIR_IP_ADDR_TYPE_IPV6 : IPAddrType.VIR_IP_ADDR_TYPE_IPV4,
      mac: v6 ? null : f[1]!,
      iaid: v6 ? f[1]! : null,
      ipaddr: f[2]!,
      prefix: prefixFor(def, addr),
      hostname: opt(f[3]),
      clientid: opt(f[4]),
    });
  }
  return out;
}

/** The leases in `file` (none when dnsmasq has not written it), of one MAC when `mac` is given. */
export function readLeases(file: string, def: NetworkDef, mac: string | null): NetworkDHCPLease[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const all = parseLeases(text, def, Math.floor(Date.now() / 1000));
  return mac ? all.filter((l) => l.mac?.toLowerCase() === mac.toLowerCase()) : all;
}
