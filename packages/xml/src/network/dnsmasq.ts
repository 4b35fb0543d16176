/**
 * The dnsmasq configuration libvirt's network driver writes for a network
 * (networkDnsmasqConfContents in bridge_driver.c), with the DHCP hosts file and the additional
 * hosts file it keeps beside it (virdnsmasq.c). Pure text generation: the network runtime writes
 * the files and starts dnsmasq with `--conf-file=<conf> --leasefile-ro --dhcp-script=<helper>`.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { escapeXml } from '../writer';
import { formatIp, ipPrefix, prefixToNetmask, ptrDomain, rangeSize } from './socket-addr';
import type { LeaseTime, NetworkDef, NetworkDns, NetworkIp } from './types';

const D = ErrorDomain.VIR_FROM_NETWORK;
const unsupported = (d: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, D, d);

/** libvirt 9.0 refuses dnsmasq older than this (DNSMASQ_MIN_MAJOR/MINOR). */
export const DNSMASQ_MIN_VERSION = 2_067_000;

/** Where a network's hosts files live (dnsmasqContextNew: the name is XML-escaped in the path). */
export interface DnsmasqContext {
  configDir: string;
  hostsfilePath: string;
  addnhostsPath: string;
}

/** dnsmasqContextNew: the hosts file paths for network `name` under `configDir`. */
export function dnsmasqContext(name: string, configDir: string): DnsmasqContext {
  const base = `${configDir}/${escapeXml(name)}`;
  return { configDir, hostsfilePath: `${base}.hostsfile`, addnhostsPath: `${base}.addnhosts` };
}

/** What networkDnsmasqConfContents produces for one network. */
export interface DnsmasqFiles {
  /** The configuration file text. */
  conf: string;
  /** The DHCP hosts file text; undefined when there are no static hosts (libvirt's NULL). */
  hostsfile?: string;
  /** The additional hosts file (DNS `<host>` records): `ip\tname\t...\n` per address. */
  addnhosts: string;
}

export interface DnsmasqConfOptions {
  ctx: DnsmasqContext;
  /** Written as `pid-file=` when given. */
  pidfile?: string;
}

/** dnsmasqCapsSetFromBuffer: the version from `dnsmasq --version` output, refusing < 2.67. */
export function parseDnsmasqVersion(output: string, binaryPath = 'dnsmasq'): number {
  const m = /^Dnsmasq version \D*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(output);
  if (!m) {
    const line = output.split('\n')[0];
    throw VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, D, `cannot parse ${binaryPath} version number in '${line}'`);
  }
  const version = Number(m[1]) * 1_000_000 + Number(m[2] ?? 0) * 1000 + Number(m[3] ?? 0);
  if (version < DNSMASQ_MIN_VERSION)
    throw unsupported(`dnsmasq version >= 2.67 required but ${Math.floor(version / 1e6)}.${Math.floor((version % 1e6) / 1000)} found`);
  return version;
}

/** networkBuildDnsmasqLeaseTime: `infinite`, or the expiry with the unit's first letter. */
function leaseTime(lease: LeaseTime | undefined): string | undefined {
  if (!lease) return undefined;
  return lease.expiry === 0n ? 'infinite' : `${lease.expiry}${lease.unit[0]}`;
}

const hasDhcp = (ip: NetworkIp) => ip.ranges.length > 0 || ip.hosts.length > 0;

/** hostsfileAdd for each static host with an address (networkBuildDnsmasqDhcpHostsList). */
function dhcpHostLines(ip: NetworkIp): string[] {
  const v6 = ip.address.family === 6;
  const lines: string[] = [];
  for (const h of ip.hosts) {
    if (!h.ip) continue;
    const addr = formatIp(h.ip);
    let line: string;
    if (v6) {
      const who = h.name && h.id ? `id:${h.id},${h.name}` : h.name ? h.name : h.id ? `id:${h.id}` : '';
      line = `${who},[${addr}]`;
    } else if (h.name && h.mac) line = `${h.mac},${addr},${h.name}`;
    else if (h.name) line = `${h.name},${addr}`;
    else line = `${h.mac},${addr}`;
    const lease = leaseTime(h.lease);
    lines.push(lease ? `${line},${lease}` : line);
  }
  return lines;
}

/** addnhostsAdd for the DNS host records: names gathered per address, in first-seen order. */
export function dnsmasqAddnHosts(dns: NetworkDns): string {
  const byIp = new Map<string, string[]>();
  for (const h of dns.hosts) {
    if (!h.ip) continue;
    const ip = formatIp(h.ip);
    for (const name of h.names) {
      if (!byIp.has(ip)) byIp.set(ip, []);
      byIp.get(ip)!.push(name);
    }
  }
  return [...byIp].map(([ip, names]) => `${ip}\t${names.map((n) => `${n}\t`).join('')}\n`).join('');
}

/** The first IPv4 and IPv6 `<ip>` with DHCP, refusing a second one of a family. */
function dhcpIps(def: NetworkDef): { v4?: NetworkIp; v6?: NetworkIp } {
  let v4: NetworkIp | undefined;
  let v6: NetworkIp | undefined;
  for (const ip of def.ips) {
    if (!hasDhcp(ip)) continue;
    if (ip.address.family === 4) {
      if (v4) throw unsupported('For IPv4, multiple DHCP definitions cannot be specified.');
      v4 = ip;
    } else {
      if (v6) throw unsupported('For IPv6, multiple DHCP definitions cannot be specified.');
      v6 = ip;
    }
  }
  return { v4, v6 };
}

/** The DHCP hosts file for the network's DHCP addresses (networkRefreshDhcpDaemon's list). */
export function dnsmasqDhcpHosts(def: NetworkDef): string | undefined {
  const { v4, v6 } = dhcpIps(def);
  const lines = [...(v4 ? dhcpHostLines(v4) : []), ...(v6 ? dhcpHostLines(v6) : [])];
  return lines.length ? lines.map((l) => `${l}\n`).join('') : undefined;
}

function confForwarders(out: string[], def: NetworkDef): void {
  if (!def.dns.forwarders.length) return;
  let noResolv = false;
  for (const f of def.dns.forwarders) {
    let line = 'server=';
    if (f.domain) line += `/${f.domain}/`;
    if (f.addr) {
      line += formatIp(f.addr);
      if (!f.domain) noResolv = true;
    } else line += '#';
    out.push(line);
  }
  if (noResolv) out.push('no-resolv');
}

function confLocalPtrs(out: string[], def: NetworkDef): void {
  for (const ip of def.ips) {
    if (ip.localPtr !== 'yes') continue;
    const prefix = ipPrefix(ip.address, ip.netmask, ip.prefix);
    const ptr = ptrDomain(ip.address, prefix);
    if (!ptr)
      throw unsupported(
        `PTR domain for ${ip.address.family === 4 ? 'IPv4' : 'IPv6'} network with prefix ${prefix} cannot be automatically created`,
      );
    out.push(`local=/${ptr}/`);
  }
}

function confDnsRecords(out: string[], def: NetworkDef): void {
  for (const t of def.dns.txts) out.push(`txt-record=${t.name},${t.value ?? '(null)'}`);
  for (const s of def.dns.srvs) {
    if (!s.service || !s.protocol)
      throw VirError.internal(`Missing required 'service' attribute in SRV record of network '${def.name}'`, D);
    let line = `srv-host=_${s.service}._${s.protocol}`;
    if (s.domain) line += `.${s.domain}`;
    if (s.target && s.target !== '.') {
      line += `,${s.target}`;
      if (s.port || s.priority || s.weight) line += `,${s.port || 1}`;
      if (s.priority || s.weight) line += `,${s.priority ?? 0}`;
      if (s.weight) line += `,${s.weight}`;
    }
    out.push(line);
  }
}

/** networkDnsmasqConfDHCP: ranges, static-only range, and the IPv4-only DHCP options. */
function confDhcp(out: string[], ip: NetworkIp | undefined, bridge: string | undefined): number {
  if (!ip) return 0;
  const prefix = ipPrefix(ip.address, ip.netmask, ip.prefix);
  if (prefix < 0) throw VirError.internal(`bridge '${bridge}' has an invalid prefix`, D);
  let leases = 0;
  for (const r of ip.ranges) {
    let line = `dhcp-range=${formatIp(r.start)},${formatIp(r.end)},`;
    if (ip.address.family === 6) line += String(prefix);
    else {
      const mask = prefixToNetmask(prefix, 4);
      if (!mask) throw VirError.internal(`Failed to translate bridge '${bridge}' prefix ${prefix} to netmask`, D);
      line += formatIp(mask);
    }
    const lease = leaseTime(r.lease);
    out.push(lease ? `${line},${lease}` : line);
    leases += rangeSize(r.start, r.end, ip.address, prefix);
  }
  if (!ip.ranges.length && ip.hosts.length)
    out.push(`dhcp-range=${formatIp(ip.address)},static${ip.address.family === 6 ? `,${prefix}` : ''}`);
  if (ip.address.family === 4) {
    if (hasDhcp(ip)) out.push('dhcp-no-override', 'dhcp-authoritative');
    if (ip.bootfile) out.push(ip.bootserver ? `dhcp-boot=${ip.bootfile},,${formatIp(ip.bootserver)}` : `dhcp-boot=${ip.bootfile}`);
  }
  return leases;
}

/** networkDnsmasqConfContents: the configuration and hosts files for `def`. */
export function networkDnsmasqConfContents(def: NetworkDef, opts: DnsmasqConfOptions): DnsmasqFiles {
  const wantDNS = def.dns.enable !== 'no';
  const out: string[] = [
    '##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE',
    '##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:',
    `##    virsh net-edit ${def.name}`,
    '## or other application using the libvirt API.',
    '##',
    '## dnsmasq conf file created by libvirt',
    'strict-order',
  ];
  if (!wantDNS) out.push('port=0');
  if (wantDNS) confForwarders(out, def);
  if (def.domain) {
    if (def.domainLocalOnly === 'yes') out.push(`local=/${def.domain}/`);
    out.push(`domain=${def.domain}`, 'expand-hosts');
  }
  if (wantDNS) confLocalPtrs(out, def);
  if (wantDNS && def.dns.forwardPlainNames === 'no') out.push('domain-needed', 'local=//');
  if (opts.pidfile) out.push(`pid-file=${opts.pidfile}`);
  out.push('except-interface=lo', 'bind-dynamic', `interface=${def.bridge ?? '(null)'}`);
  if (def.forward.mode === 'none') out.push('dhcp-option=3', 'no-resolv', 'ra-param=*,0,0');
  if (wantDNS) confDnsRecords(out, def);
  const { v4, v6 } = dhcpIps(def);
  let tftp = false;
  for (const ip of def.ips) {
    if (ip.address.family !== 4 || !ip.tftproot) continue;
    if (!tftp) out.push('enable-tftp');
    tftp = true;
    out.push(`tftp-root=${ip.tftproot}`);
  }
  const leases = confDhcp(out, v4, def.bridge) + confDhcp(out, v6, def.bridge);
  if (leases > 0) out.push(`dhcp-lease-max=${leases}`);
  if (v4 || v6) out.push(`dhcp-hostsfile=${opts.ctx.hostsfilePath}`);
  if (wantDNS) out.push(`addn-hosts=${opts.ctx.addnhostsPath}`);
  if (def.mtu > 0) out.push(`dhcp-option=option:mtu,${def.mtu}`);
  if (v6) out.push('enable-ra');
  else for (const ip of def.ips) if (ip.address.family === 6 && !hasDhcp(ip)) out.push(`dhcp-range=${formatIp(ip.address)},ra-only`);
  out.push(...def.dnsmasqOptions);
  return { conf: out.map((l) => `${l}\n`).join(''), hostsfile: dnsmasqDhcpHosts(def), addnhosts: dnsmasqAddnHosts(def.dns) };
}

/** networkStartDhcpDaemon's test: does this network need a dnsmasq at all? */
export function networkNeedsDnsmasq(def: NetworkDef): boolean {
  if (!def.ips.length) return false;
  const needDhcp = def.ips.some((ip) => hasDhcp(ip) || !!ip.tftproot);
  return needDhcp || def.dns.enable !== 'no';
}
