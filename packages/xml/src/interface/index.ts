/**
 * Host interface XML (libvirt's interface_conf.c): `<interface type='ethernet|bridge|bond|vlan'>`
 * parsed with its rules and texts, and formatted as virInterfaceDefFormat writes it.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { propEnum, propUInt } from '../props';
import { escapeXml } from '../writer';

const D = ErrorDomain.VIR_FROM_INTERFACE;
const xmlError = (d: string) => VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, D, d);

export const INTERFACE_TYPES = ['ethernet', 'bridge', 'bond', 'vlan'] as const;
export type InterfaceType = (typeof INTERFACE_TYPES)[number];
const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;
/** virNetDevIfState names; index 0 is "no state". */
const LINK_STATES = ['', 'unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'] as const;

export interface InterfaceProtocol {
  family: 'ipv4' | 'ipv6';
  autoconf: boolean;
  dhcp: boolean;
  peerdns?: 'yes' | 'no';
  ips: Array<{ address: string; prefix: number }>;
  gateway?: string;
}

export interface InterfaceDef {
  type: InterfaceType;
  name?: string;
  startmode?: 'none' | 'onboot' | 'hotplug';
  mtu: number;
  protos: InterfaceProtocol[];
  link: { state?: (typeof LINK_STATES)[number]; speed?: number };
  mac?: string;
  bridge?: { stp?: boolean; delay?: string; itfs: InterfaceDef[] };
  bond?: {
    mode?: (typeof BOND_MODES)[number];
    mii?: { freq: number; downdelay: number; updelay: number; carrier?: 'ioctl' | 'netif' };
    arp?: { interval: number; target: string; validate?: 'active' | 'backup' | 'all' };
    itfs: InterfaceDef[];
  };
  vlan?: { tag: string; dev: string };
}

/** virXPathInt on `string(path)`: undefined when absent or empty, 'bad' when not an int. */
function xpathInt(text: string | undefined): number | 'bad' | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\s*[+-]?\d+$/.test(text)) return 'bad';
  const n = Number(text);
  return n < -0x80000000 || n > 0x7fffffff ? 'bad' : n;
}

/** virXMLPropInt with base 0 (decimal, 0x hex, 0 octal). */
function propIntBase0(el: XmlElement, name: string): number {
  const v = el.attr(name);
  if (v === undefined) return 0;
  const t = v.trim();
  const n = /^[+-]?0[xX][0-9a-fA-F]+$/.test(t)
    ? Number.parseInt(t, 16)
    : /^[+-]?0[0-7]+$/.test(t)
      ? Number.parseInt(t, 8)
      : /^[+-]?\d+$/.test(t)
        ? Number(t)
        : NaN;
  if (Number.isNaN(n) || n < -0x80000000 || n > 0x7fffffff)
    throw xmlError(`Invalid value for attribute '${name}' in element '${el.name}': '${v}'. Expected integer value`);
  return n;
}

function parseProtocol(el: XmlElement): InterfaceProtocol {
  const family = el.attr('family');
  if (family === undefined) throw xmlError('protocol misses the family attribute');
  if (family !== 'ipv4' && family !== 'ipv6') throw xmlError(`unsupported protocol family '${family}'`);
  const proto: InterfaceProtocol = { family, autoconf: false, dhcp: false, ips: [] };
  proto.gateway = el.elements('route')[0]?.attr('gateway');
  if (family === 'ipv6' && el.element('autoconf')) proto.autoconf = true;
  const dhcp = el.element('dhcp');
  if (dhcp) {
    proto.dhcp = true;
    proto.peerdns = propEnum(dhcp, 'peerdns', ['absent', 'yes', 'no'] as const, { nonzero: true }) as 'yes' | 'no' | undefined;
  }
  for (const ip of el.elements('ip')) {
    const address = ip.attr('address');
    // an <ip> without an address is kept by libvirt but never written back
    if (address !== undefined) proto.ips.push({ address, prefix: propIntBase0(ip, 'prefix') });
  }
  return proto;
}

function parseBond(el: XmlElement, def: InterfaceDef): void {
  const bond: NonNullable<InterfaceDef['bond']> = { itfs: [] };
  const mode = el.attr('mode');
  if (mode !== undefined) {
    if (!(BOND_MODES as readonly string[]).includes(mode)) throw xmlError(`unknown bonding mode ${mode}`);
    bond.mode = mode as (typeof BOND_MODES)[number];
  }
  bond.itfs = el.elements('interface').map((i) => parseInterfaceElement(i, 'bond'));
  const mii = el.element('miimon');
  const arp = el.element('arpmon');
  if (mii) {
    const freq = xpathInt(mii.attr('freq'));
    if (freq === undefined || freq === 'bad') throw xmlError('bond interface miimon freq missing or invalid');
    const downdelay = xpathInt(mii.attr('downdelay'));
    if (downdelay === 'bad') throw xmlError('bond interface miimon downdelay invalid');
    const updelay = xpathInt(mii.attr('updelay'));
    if (updelay === 'bad') throw xmlError('bond interface miimon updelay invalid');
    const carrier = mii.attr('carrier');
    if (carrier !== undefined && carrier !== 'ioctl' && carrier !== 'netif') throw xmlError(`unknown mii bonding carrier ${carrier}`);
    bond.mii = { freq, downdelay: downdelay ?? 0, updelay: updelay ?? 0, carrier };
  } else if (arp) {
    const interval = xpathInt(arp.attr('interval'));
    if (interval === undefined || interval === 'bad') throw xmlError('bond interface arpmon interval missing or invalid');
    const target = arp.attr('target');
    if (!target) throw xmlError('bond interface arpmon target missing');
    const validate = arp.attr('validate');
    if (validate !== undefined && validate !== 'active' && validate !== 'backup' && validate !== 'all')
      throw xmlError(`unknown arp bonding validate ${validate}`);
    bond.arp = { interval, target, validate };
  }
  def.bond = bond;
}

function parseTypeData(el: XmlElement, def: InterfaceDef): void {
  switch (def.type) {
    case 'ethernet':
      def.mac = el.element('mac')?.attr('address') || undefined;
      return;
    case 'bridge': {
      const br = el.element('bridge');
      if (!br) throw xmlError('bridge interface misses the bridge element');
      const stp = br.attr('stp');
      // libvirt reports a bad stp value yet goes on parsing; the definition keeps stp unset
      def.bridge = { stp: stp === 'on' ? true : stp === 'off' ? false : undefined, delay: br.attr('delay'), itfs: [] };
      def.bridge.itfs = br.elements('interface').map((i) => parseInterfaceElement(i, 'bridge'));
      return;
    }
    case 'bond': {
      const bond = el.element('bond');
      if (!bond) throw xmlError('bond interface misses the bond element');
      parseBond(bond, def);
      return;
    }
    case 'vlan': {
      const vlan = el.element('vlan');
      if (!vlan) throw xmlError('vlan interface misses the vlan element');
      const tag = vlan.attr('tag');
      if (tag === undefined) throw xmlError('vlan interface misses the tag attribute');
      const dev = vlan.element('interface')?.attr('name');
      if (dev === undefined) throw xmlError('vlan interface misses name attribute');
      def.vlan = { tag, dev };
    }
  }
}

/** Which child types an interface may hold (a bond only ethernets; a bridge no bridges; others nothing). */
function allowedUnder(parent: InterfaceType | null, type: InterfaceType): boolean {
  if (parent === null) return true;
  if (parent === 'bond') return type === 'ethernet';
  if (parent === 'bridge') return type !== 'bridge';
  return false;
}

/** virInterfaceDefParseXML: one `<interface>`, top level (`parent` null) or enslaved. */
export function parseInterfaceElement(el: XmlElement, parent: InterfaceType | null = null): InterfaceDef {
  const type = propEnum(el, 'type', INTERFACE_TYPES, { required: true })!;
  if (!allowedUnder(parent, type)) throw xmlError(`interface has unsupported type '${type}'`);
  const name = el.attr('name');
  if (name === undefined) throw xmlError('interface has no name');
  const def: InterfaceDef = { type, name, mtu: 0, protos: [], link: {} };
  if (parent === null) {
    const mode = el.element('start')?.attr('mode');
    if (mode !== undefined) {
      if (mode !== 'onboot' && mode !== 'hotplug' && mode !== 'none') throw xmlError(`unknown interface startmode ${mode}`);
      def.startmode = mode;
    }
    const mtu = el.element('mtu')?.attr('size');
    if (mtu !== undefined && mtu !== '') {
      if (!/^\d+$/.test(mtu) || Number(mtu) > 0xffffffff) throw VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, D, null);
      def.mtu = Number(mtu);
      if (def.mtu > 100000) throw xmlError("value of the 'size' attribute of 'mtu' element must be at most 100000");
    }
    def.protos = el.elements('protocol').map(parseProtocol);
  }
  const link = type !== 'bridge' ? el.element('link') : undefined;
  if (link) {
    const state = propEnum(link, 'state', LINK_STATES);
    def.link = { state: state || undefined, speed: propUInt(link, 'speed') || undefined };
  }
  parseTypeData(el, def);
  return def;
}

/** virInterfaceDefParseString (without schema validation). */
export function parseInterfaceXml(xml: string): InterfaceDef {
  const root = parseXml(xml);
  if (root.name !== 'interface') throw xmlError(`expecting root element of 'interface', not '${root.name}'`);
  return parseInterfaceElement(root);
}

function formatProtocols(def: InterfaceDef, out: string[], pad: string): void {
  for (const p of def.protos) {
    out.push(`${pad}<protocol family='${p.family}'>`);
    if (p.autoconf) out.push(`${pad}  <autoconf/>`);
    if (p.dhcp) out.push(`${pad}  <dhcp${p.peerdns ? ` peerdns='${p.peerdns}'` : ''}/>`);
    for (const ip of p.ips) out.push(`${pad}  <ip address='${ip.address}'${ip.prefix !== 0 ? ` prefix='${ip.prefix}'` : ''}/>`);
    if (p.gateway !== undefined) out.push(`${pad}  <route gateway='${p.gateway}'/>`);
    out.push(`${pad}</protocol>`);
  }
}

function formatBond(bond: NonNullable<InterfaceDef['bond']>, out: string[], pad: string): void {
  out.push(`${pad}<bond${bond.mode ? ` mode='${bond.mode}'` : ''}>`);
  if (bond.mii) {
    const m = bond.mii;
    out.push(
      `${pad}  <miimon freq='${m.freq}'${m.downdelay > 0 ? ` downdelay='${m.downdelay}'` : ''}${m.updelay > 0 ? ` updelay='${m.updelay}'` : ''}${m.carrier ? ` carrier='${m.carrier}'` : ''}/>`,
    );
  } else if (bond.arp) {
    const a = bond.arp;
    out.push(`${pad}  <arpmon interval='${a.interval}' target='${a.target}'${a.validate ? ` validate='${a.validate}'` : ''}/>`);
  }
  for (const itf of bond.itfs) formatDev(itf, false, out, `${pad}  `);
  out.push(`${pad}</bond>`);
}

/** virInterfaceDefDevFormat: libvirt escapes only the name; the other values go out as given. */
function formatDev(def: InterfaceDef, top: boolean, out: string[], pad: string): void {
  out.push(`${pad}<interface type='${def.type}' ${def.name !== undefined ? `name='${escapeXml(def.name)}'` : ''}>`);
  const inner = `${pad}  `;
  if (top) {
    if (def.startmode) out.push(`${inner}<start mode='${def.startmode}'/>`);
    if (def.mtu) out.push(`${inner}<mtu size='${def.mtu}'/>`);
    formatProtocols(def, out, inner);
  }
  if (def.type !== 'bridge' && (def.link.speed || def.link.state))
    out.push(`${inner}<link${def.link.speed ? ` speed='${def.link.speed}'` : ''}${def.link.state ? ` state='${def.link.state}'` : ''}/>`);
  if (def.type === 'ethernet' && def.mac) out.push(`${inner}<mac address='${def.mac}'/>`);
  if (def.bridge) {
    const b = def.bridge;
    const stp = b.stp === true ? " stp='on'" : b.stp === false ? " stp='off'" : '';
    out.push(`${inner}<bridge${stp}${b.delay !== undefined ? ` delay='${b.delay}'` : ''}>`);
    for (const itf of b.itfs) formatDev(itf, false, out, `${inner}  `);
    out.push(`${inner}</bridge>`);
  }
  if (def.bond) formatBond(def.bond, out, inner);
  if (def.vlan) out.push(`${inner}<vlan tag='${def.vlan.tag}'>`, `${inner}  <interface name='${def.vlan.dev}'/>`, `${inner}</vlan>`);
  out.push(`${pad}</interface>`);
}

/** virInterfaceDefFormat. */
export function formatInterfaceXml(def: InterfaceDef): string {
  const out: string[] = [];
  formatDev(def, true, out, '');
  return out.map((l) => `${l}\n`).join('');
}
