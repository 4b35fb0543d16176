/**
 * The NICs of an LXC configuration (lxc_native.c's network part): legacy `lxc.network.*` keys,
 * where each `type` starts a new NIC, and LXC 3.0 `lxc.net.N.*` keys grouped by index. veth and
 * macvlan become `<interface>`s; phys and vlan become `<hostdev mode='capabilities' type='net'>`.
 */
import * as net from 'node:net';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { escapeXml } from '@virtkit/xml';
import type { ConfEntry } from './conf';

interface IpAddr {
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
}

interface NicData {
  index: number;
  type?: string;
  link?: string;
  mac?: string;
  flag?: string;
  macvlanMode?: string;
  vlanId?: string;
  name?: string;
  ips: IpAddr[];
  gatewayV4?: string;
  gatewayV6?: string;
}

/** The NIC keys lxc_native.c knows (virLXCNetworkConfigEntry); any other suffix fails the conversion. */
const NIC_KEYS = new Set([
  'name',
  'type',
  'link',
  'hwaddr',
  'flags',
  'macvlan.mode',
  'vlan.id',
  'ipv4',
  'ipv4.gateway',
  'ipv4.address',
  'ipv6',
  'ipv6.gateway',
  'ipv6.address',
]);

/** An address as inet_ntop writes it (IPv6 zero runs compressed), or undefined when not one of `family`. */
export function canonicalAddress(text: string, family: 'ipv4' | 'ipv6'): string | undefined {
  if (family === 'ipv4') return net.isIPv4(text) ? text : undefined;
  if (!net.isIPv6(text)) return undefined;
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

function parseIp(key: string, value: string): IpAddr {
  const family = key.startsWith('ipv6') ? 'ipv6' : 'ipv4';
  const slash = value.indexOf('/');
  const addr = slash < 0 ? undefined : canonicalAddress(value.slice(0, slash), family);
  const prefix = slash < 0 ? '' : value.slice(slash + 1);
  if (addr === undefined || !/^[ \t]*\+?\d+$/.test(prefix) || Number(prefix) > 0xffffffff) {
    throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_LXC, `Invalid CIDR address: '${value}'`);
  }
  return { family, address: addr, prefix: Number(prefix) };
}

function setKey(nic: NicData, key: string, value: string): void {
  if (!NIC_KEYS.has(key)) throw VirError.unknownCause();
  switch (key) {
    case 'type':
      nic.type = value;
      break;
    case 'link':
      nic.link = value;
      break;
    case 'hwaddr':
      nic.mac = value;
      break;
    case 'flags':
      nic.flag = value;
      break;
    case 'macvlan.mode':
      nic.macvlanMode = value;
      break;
    case 'vlan.id':
      nic.vlanId = value;
      break;
    case 'name':
      nic.name = value;
      break;
    case 'ipv4.gateway':
      nic.gatewayV4 = value;
      break;
    case 'ipv6.gateway':
      nic.gatewayV6 = value;
      break;
    default:
      nic.ips.push(parseIp(key, value));
  }
}

/** Group the NIC keys into NICs, in the order libvirt adds them. */
function collectNics(entries: readonly ConfEntry[]): NicData[] {
  const nics: NicData[] = [];
  for (const { name, value } of entries) {
    if (name.startsWith('lxc.network.')) {
      const key = name.slice('lxc.network.'.length);
      if (key === 'type') nics.push({ index: nics.length + 1, ips: [] });
      const nic = nics[nics.length - 1];
      if (!nic) throw VirError.unknownCause();
      setKey(nic, key, value);
    } else if (name.startsWith('lxc.net.')) {
      const m = /^lxc\.net\.(\d+)\.(.*)$/.exec(name);
      if (!m) throw VirError.unknownCause();
      const index = Number(m[1]);
      let nic = nics.find((n) => n.index === index);
      if (!nic) nics.push((nic = { index, ips: [] }));
      setKey(nic, m[2], value);
    }
  }
  return nics;
}

/** A default route through `gateway` (lxcAddNetworkRouteDefinition / virNetDevIPRouteCreate's checks). */
function routeXml(family: 'ipv4' | 'ipv6', gateway: string): string {
  const zero = family === 'ipv4' ? '0.0.0.0' : '::';
  const v4 = canonicalAddress(gateway, 'ipv4');
  const v6 = canonicalAddress(gateway, 'ipv6');
  const bad = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_LXC, `Domain interface: ${detail}`);
  if (v4 === undefined && v6 === undefined) throw bad(`Bad gateway address '${gateway}' in route definition`);
  if (family === 'ipv4' && v4 === undefined) throw bad(`IPv4 family specified for non-IPv4 gateway '${zero}' in route definition`);
  if (family === 'ipv6' && v6 === undefined) throw bad(`ipv6 specified for non-IPv6 gateway address '${gateway}' in route definition`);
  return `<route family='${family}' address='${zero}' gateway='${escapeXml((v4 ?? v6)!)}'/>`;
}

function ipRouteXml(nic: NicData): string[] {
  const out = nic.ips.map((ip) => `<ip address='${escapeXml(ip.address)}' family='${ip.family}' prefix='${ip.prefix}'/>`);
  if (nic.gatewayV4 !== undefined) out.push(routeXml('ipv4', nic.gatewayV4));
  if (nic.gatewayV6 !== undefined) out.push(routeXml('ipv6', nic.gatewayV6));
  return out;
}

const MAC = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

function macXml(mac: string | undefined): string[] {
  if (mac === undefined || !MAC.test(mac)) return [];
  const canonical = mac
    .split(':')
    .map((b) => b.toLowerCase().padStart(2, '0'))
    .join(':');
  return [`<mac address='${canonical}'/>`];
}

function hostdevXml(nic: NicData): string {
  if (nic.link === undefined) {
    throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_LXC, "Missing 'link' attribute for NIC");
  }
  // The VLAN device itself has to exist on the host: libvirt only names it.
  const ifname = nic.type === 'vlan' && nic.vlanId !== undefined ? `${nic.link}.${nic.vlanId}` : nic.link;
  return [
    "<hostdev mode='capabilities' type='net'>",
    `<source><interface>${escapeXml(ifname)}</interface></source>`,
    ...ipRouteXml(nic),
    '</hostdev>',
  ].join('');
}

function interfaceXml(nic: NicData): string {
  const parts: string[] = [];
  let type = 'ethernet';
  if (nic.type === 'veth' && nic.link !== undefined) {
    type = 'bridge';
    parts.push(`<source bridge='${escapeXml(nic.link)}'/>`);
  } else if (nic.type === 'macvlan') {
    if (nic.link === undefined) throw VirError.unknownCause();
    type = 'direct';
    // An unknown mode leaves libvirt's default, which is vepa.
    const mode =
      nic.macvlanMode === 'private' || nic.macvlanMode === undefined ? 'private' : nic.macvlanMode === 'bridge' ? 'bridge' : 'vepa';
    parts.push(`<source dev='${escapeXml(nic.link)}' mode='${mode}'/>`);
  }
  parts.push(...ipRouteXml(nic));
  if (nic.name !== undefined) parts.push(`<guest dev='${escapeXml(nic.name)}'/>`);
  parts.push(`<link state='${nic.flag === 'up' ? 'up' : 'down'}'/>`);
  return `<interface type='${type}'>${macXml(nic.mac).join('')}${parts.join('')}</interface>`;
}

export interface NetworkSettings {
  interfaces: string[];
  hostdevs: string[];
  /** No NIC configured: LXC gives the container its own network namespace with only loopback. */
  privnet: boolean;
}

/** lxcConvertNetworkSettings. */
export function convertNetworks(entries: readonly ConfEntry[]): NetworkSettings {
  const nics = collectNics(entries);
  const out: NetworkSettings = { interfaces: [], hostdevs: [], privnet: nics.length === 0 };
  for (const nic of nics) {
    if (nic.type === undefined || nic.type === '' || nic.type === 'empty' || nic.type === 'none') continue;
    if (nic.type === 'phys' || nic.type === 'vlan') out.hostdevs.push(hostdevXml(nic));
    else out.interfaces.push(interfaceXml(nic));
  }
  return out;
}
