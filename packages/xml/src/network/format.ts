/** NetworkDef → `<network>` XML, as libvirt's virNetworkDefFormatBuf writes it. */
import { XmlWriter } from '../writer';
import { writePreserved } from '../preserved';
import { formatBandwidth, formatRoute, formatVirtualPort, formatVlan } from './netdev';
import { formatIp } from './socket-addr';
import { DNSMASQ_NAMESPACE } from './parse';
import type { DhcpHost, DhcpRange, LeaseTime, NetworkDef, NetworkDns, NetworkForward, NetworkIp, PortGroup } from './types';

export interface NetworkFormatOptions {
  /** VIR_NETWORK_XML_INACTIVE: leave out run-time data (connection counts, pf-derived interfaces). */
  inactive?: boolean;
}

function formatLeaseChild(w: XmlWriter, lease: LeaseTime): void {
  if (lease.expiry === 0n) w.empty('lease', [['expiry', '0']]);
  else
    w.empty('lease', [
      ['expiry', String(lease.expiry)],
      ['unit', lease.unit],
    ]);
}

function formatWithLease(w: XmlWriter, name: string, attrs: [string, string | undefined][], lease: LeaseTime | undefined): void {
  if (!lease) {
    w.empty(name, attrs);
    return;
  }
  w.open(name, attrs);
  formatLeaseChild(w, lease);
  w.close(name);
}

function rangeAttrs(r: DhcpRange): [string, string | undefined][] {
  return [
    ['start', formatIp(r.start)],
    ['end', formatIp(r.end)],
  ];
}

function hostAttrs(h: DhcpHost): [string, string | undefined][] {
  return [
    ['mac', h.mac],
    ['id', h.id],
    ['name', h.name],
    ['ip', h.ip && formatIp(h.ip)],
  ];
}

function formatIpElement(w: XmlWriter, ip: NetworkIp): void {
  w.open('ip', [
    ['family', ip.family],
    ['address', formatIp(ip.address)],
    ['netmask', ip.netmask && formatIp(ip.netmask)],
    ['prefix', ip.prefix ? ip.prefix : undefined],
    ['localPtr', ip.localPtr],
  ]);
  if (ip.tftproot) w.empty('tftp', [['root', ip.tftproot]]);
  if (ip.ranges.length || ip.hosts.length) {
    w.open('dhcp');
    for (const r of ip.ranges) formatWithLease(w, 'range', rangeAttrs(r), r.lease);
    for (const h of ip.hosts) formatWithLease(w, 'host', hostAttrs(h), h.lease);
    if (ip.bootfile)
      w.empty('bootp', [
        ['file', ip.bootfile],
        ['server', ip.bootserver && formatIp(ip.bootserver)],
      ]);
    w.close('dhcp');
  }
  w.close('ip');
}

function formatDns(w: XmlWriter, dns: NetworkDns): void {
  const records = dns.forwarders.length || dns.hosts.length || dns.srvs.length || dns.txts.length;
  if (!(dns.enable || dns.forwardPlainNames || records)) return;
  const attrs = [
    ['enable', dns.enable],
    ['forwardPlainNames', dns.forwardPlainNames],
  ] as const;
  if (!records) {
    w.empty('dns', attrs);
    return;
  }
  w.open('dns', attrs);
  for (const f of dns.forwarders)
    w.empty('forwarder', [
      ['domain', f.domain],
      ['addr', f.addr && formatIp(f.addr)],
    ]);
  for (const t of dns.txts)
    w.empty('txt', [
      ['name', t.name],
      ['value', t.value],
    ]);
  for (const s of dns.srvs) {
    if (!(s.service && s.protocol)) continue;
    w.empty('srv', [
      ['service', s.service],
      ['protocol', s.protocol],
      ['domain', s.domain],
      ['target', s.target],
      ['port', s.port || undefined],
      ['priority', s.priority || undefined],
      ['weight', s.weight || undefined],
    ]);
  }
  for (const h of dns.hosts) {
    w.open('host', [['ip', h.ip && formatIp(h.ip)]]);
    for (const n of h.names) w.leaf('hostname', n);
    w.close('host');
  }
  w.close('dns');
}

function formatNat(w: XmlWriter, fwd: NetworkForward): void {
  const start = fwd.natAddrStart && formatIp(fwd.natAddrStart);
  const end = fwd.natAddrEnd && formatIp(fwd.natAddrEnd);
  const hasPorts = fwd.natPortStart || fwd.natPortEnd;
  if (!start && !end && !hasPorts && !fwd.natIPv6) return;
  const attrs = [['ipv6', fwd.natIPv6]] as const;
  if (!start && !end && !hasPorts) {
    w.empty('nat', attrs);
    return;
  }
  w.open('nat', attrs);
  if (start)
    w.empty('address', [
      ['start', start],
      ['end', end],
    ]);
  if (hasPorts)
    w.empty('port', [
      ['start', fwd.natPortStart],
      ['end', fwd.natPortEnd || undefined],
    ]);
  w.close('nat');
}

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

function formatForward(w: XmlWriter, def: NetworkDef, inactive: boolean): void {
  const fwd = def.forward;
  if (fwd.mode === 'none') return;
  const first = fwd.ifs[0];
  const dev = !fwd.pfs.length && first?.type === 'netdev' ? first.dev : undefined;
  const attrs = [
    ['dev', dev],
    ['mode', fwd.mode],
    ['managed', fwd.mode === 'hostdev' ? (fwd.managed ? 'yes' : 'no') : undefined],
  ] as const;
  const short = !(
    fwd.ifs.length ||
    fwd.pfs.length ||
    fwd.natAddrStart ||
    fwd.natAddrEnd ||
    fwd.natPortStart ||
    fwd.natPortEnd ||
    fwd.driverName ||
    fwd.natIPv6
  );
  if (short) {
    w.empty('forward', attrs);
    return;
  }
  w.open('forward', attrs);
  if (fwd.driverName) w.empty('driver', [['name', fwd.driverName]]);
  if (fwd.mode === 'nat') formatNat(w, fwd);
  if (fwd.pfs.length) w.empty('pf', [['dev', fwd.pfs[0]]]);
  if (fwd.ifs.length && (!fwd.pfs.length || !inactive)) {
    for (const f of fwd.ifs) {
      if (f.type === 'netdev')
        w.empty('interface', [
          ['dev', f.dev],
          ['connections', !inactive && f.connections > 0 ? f.connections : undefined],
        ]);
      else
        w.empty('address', [
          ['type', 'pci'],
          ['domain', hex(f.domain, 4)],
          ['bus', hex(f.bus, 2)],
          ['slot', hex(f.slot, 2)],
          ['function', hex(f.function, 1)],
        ]);
    }
  }
  w.close('forward');
}

function formatBridge(w: XmlWriter, def: NetworkDef): void {
  const l3 = ['none', 'nat', 'route', 'open'].includes(def.forward.mode);
  if (!(l3 || def.bridge || def.macTableManager)) return;
  w.empty('bridge', [
    ['name', def.bridge],
    ['zone', def.bridgeZone],
    ['stp', l3 ? (def.stp ? 'on' : 'off') : undefined],
    ['delay', l3 ? def.delay : undefined],
    ['macTableManager', def.macTableManager],
  ]);
}

function formatPortGroup(w: XmlWriter, pg: PortGroup): void {
  w.open('portgroup', [
    ['name', pg.name],
    ['default', pg.isDefault ? 'yes' : undefined],
    ['trustGuestRxFilters', pg.trustGuestRxFilters],
  ]);
  formatVlan(w, pg.vlan);
  formatVirtualPort(w, pg.virtualPort);
  formatBandwidth(w, pg.bandwidth);
  w.close('portgroup');
}

/** Write the `<network>` document for `def`. */
export function formatNetworkXml(def: NetworkDef, opts: NetworkFormatOptions = {}): string {
  const w = new XmlWriter();
  const inactive = !!opts.inactive;
  w.open('network', [
    ['xmlns:dnsmasq', def.dnsmasqOptions.length ? DNSMASQ_NAMESPACE : undefined],
    ['connections', !inactive && def.connections > 0 ? def.connections : undefined],
    ['ipv6', def.ipv6nogw ? 'yes' : undefined],
    ['trustGuestRxFilters', def.trustGuestRxFilters],
  ]);
  w.leaf('name', def.name);
  w.leaf('uuid', def.uuid);
  w.leaf('title', def.title);
  w.leaf('description', def.description);
  if (def.metadata) writePreserved(w, def.metadata);
  formatForward(w, def, inactive);
  formatBridge(w, def);
  if (def.mtu) w.empty('mtu', [['size', def.mtu]]);
  if (def.mac) w.empty('mac', [['address', def.mac]]);
  if (def.domain !== undefined)
    w.empty('domain', [
      ['name', def.domain],
      ['localOnly', def.domainLocalOnly],
    ]);
  formatDns(w, def.dns);
  formatVlan(w, def.vlan);
  formatBandwidth(w, def.bandwidth);
  if (def.isolatedPort) w.empty('port', [['isolated', def.isolatedPort]]);
  for (const ip of def.ips) formatIpElement(w, ip);
  for (const r of def.routes) formatRoute(w, r);
  formatVirtualPort(w, def.virtualPort);
  for (const pg of def.portGroups) formatPortGroup(w, pg);
  if (def.dnsmasqOptions.length) {
    w.open('dnsmasq:options');
    for (const o of def.dnsmasqOptions) w.empty('dnsmasq:option', [['value', o]]);
    w.close('dnsmasq:options');
  }
  w.close('network');
  return w.toString();
}
