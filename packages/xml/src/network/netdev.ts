/**
 * The shared network-device sub-elements a network (and its portgroups) carries: `<vlan>`
 * (netdev_vlan_conf.c), `<virtualport>` (netdev_vport_profile_conf.c), `<bandwidth>`
 * (netdev_bandwidth_conf.c) and `<route>` (virnetdevip.c), parsed and written as libvirt does.
 */
import { ErrorDomain, ErrorNumber, VirError, parseUuid } from '@virtkit/core';
import type { XmlElement } from '../tree';
import type { XmlWriter } from '../writer';
import { parseULL } from '../scaled';
import { formatIp, tryParseIp } from './socket-addr';
import type { Bandwidth, BandwidthRate, IpRoute, Vlan, VirtualPort } from './types';

const N = ErrorDomain.VIR_FROM_NONE;
const xmlErr = (d: string) => VirError.xml(d, N);
const detailErr = (d: string) => VirError.create(ErrorNumber.VIR_ERR_XML_DETAIL, N, d);
const unsupported = (d: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, N, d);

/** virStrToLong_ui-style: a whole decimal number that fits 32 bits, or undefined. */
function uint(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = parseULL(text);
  return v !== undefined && v <= 0xffffffffn ? Number(v) : undefined;
}

/** virNetDevVlanParse. */
export function parseVlan(el: XmlElement): Vlan {
  const tagEls = el.elements('tag');
  if (!tagEls.length) throw xmlErr("missing tag id - each <vlan> must have at least one <tag id='n'/> subelement");
  const vlan: Vlan = { tags: [], trunk: false };
  for (const t of tagEls) {
    const id = uint(t.attr('id'));
    if (id === undefined) throw xmlErr('missing or invalid vlan tag id attribute');
    if (id > 4095) throw xmlErr(`vlan tag id ${id} too large (maximum 4095)`);
    const mode = t.attr('nativeMode');
    if (mode !== undefined) {
      if (vlan.nativeMode) throw xmlErr('duplicate native vlan setting');
      if (mode !== 'tagged' && mode !== 'untagged') throw unsupported(`Attribute "nativeMode='${mode}'" is invalid`);
      vlan.nativeMode = mode;
      vlan.nativeTag = id;
    }
    vlan.tags.push(id);
  }
  const trunk = el.attr('trunk');
  vlan.trunk = vlan.tags.length > 1;
  if (trunk !== undefined) {
    vlan.trunk = trunk.toLowerCase() === 'yes';
    if (!vlan.trunk) {
      if (vlan.tags.length > 1) throw xmlErr(`invalid "trunk='${trunk}'" in <vlan> - trunk='yes' is required for more than one vlan tag`);
      if (vlan.nativeMode) throw xmlErr(`invalid configuration in <vlan> - "trunk='no'" is not allowed with a native vlan id`);
      if (trunk.toLowerCase() !== 'no') throw xmlErr(`invalid "trunk='${trunk}'" in <vlan> - must be yes or no`);
    }
  }
  return vlan;
}

/** virNetDevVlanFormat. */
export function formatVlan(w: XmlWriter, vlan: Vlan | undefined): void {
  if (!vlan?.tags.length) return;
  w.open('vlan', [['trunk', vlan.trunk ? 'yes' : undefined]]);
  for (const tag of vlan.tags) {
    w.empty('tag', [
      ['id', tag],
      ['nativeMode', vlan.nativeMode && vlan.nativeTag === tag ? vlan.nativeMode : undefined],
    ]);
  }
  w.close('vlan');
}

const VPORT_TYPES = ['802.1Qbg', '802.1Qbh', 'openvswitch', 'midonet'] as const;

/** The parameters a virtualport type may not carry (virNetDevVPortProfileCheckNoExtras). */
const VPORT_FORBIDDEN: Record<string, (keyof VirtualPort)[]> = {
  '802.1Qbg': ['profileid', 'interfaceid'],
  '802.1Qbh': ['managerid', 'typeid', 'typeidversion', 'instanceid', 'interfaceid'],
  openvswitch: ['managerid', 'typeid', 'typeidversion', 'instanceid'],
  midonet: ['managerid', 'typeid', 'typeidversion', 'instanceid', 'profileid'],
};

function vportNumber(params: XmlElement, name: string, max: number): number | undefined {
  const text = params.attr(name);
  if (text === undefined) return undefined;
  const v = uint(text);
  if (v === undefined) throw xmlErr(`cannot parse value of ${name} parameter`);
  if (v > max) throw xmlErr(name === 'typeid' ? 'value for typeid out of range' : `value of ${name} out of range`);
  return v;
}

function vportUuid(params: XmlElement, name: string): string | undefined {
  const text = params.attr(name);
  if (text === undefined) return undefined;
  const u = parseUuid(text);
  if (!u) throw xmlErr(`cannot parse ${name} parameter as a uuid`);
  return u;
}

/** virNetDevVPortProfileParse; `requireType` is VIR_VPORT_XML_REQUIRE_TYPE. */
export function parseVirtualPort(el: XmlElement, requireType: boolean): VirtualPort {
  const vp: VirtualPort = {};
  const type = el.attr('type');
  if (type !== undefined) {
    if (!(VPORT_TYPES as readonly string[]).includes(type)) throw unsupported(`unknown virtualport type ${type}`);
    vp.type = type as VirtualPort['type'];
  } else if (requireType) throw unsupported('missing required virtualport type');
  const params = el.element('parameters');
  if (params) {
    vp.managerid = vportNumber(params, 'managerid', 0xff);
    vp.typeid = vportNumber(params, 'typeid', 0xffffff);
    vp.typeidversion = vportNumber(params, 'typeidversion', 0xff);
    vp.instanceid = vportUuid(params, 'instanceid');
    const profile = params.attr('profileid');
    if (profile !== undefined && profile.length >= 40) throw xmlErr('profileid parameter too long');
    vp.profileid = profile || undefined;
    vp.interfaceid = vportUuid(params, 'interfaceid');
  }
  if (vp.type) {
    for (const key of VPORT_FORBIDDEN[vp.type]) {
      if (vp[key] !== undefined) throw unsupported(`attribute ${key} not allowed for <virtualport type='${vp.type}'>`);
    }
  }
  return vp;
}

/** virNetDevVPortProfileFormat. */
export function formatVirtualPort(w: XmlWriter, vp: VirtualPort | undefined): void {
  if (!vp) return;
  const params: [string, string | number | undefined][] = [
    ['managerid', vp.managerid],
    ['typeid', vp.typeid],
    ['typeidversion', vp.typeidversion],
    ['instanceid', vp.instanceid],
    ['interfaceid', vp.interfaceid],
    ['profileid', vp.profileid],
  ];
  const attrs = [['type', vp.type]] as const;
  if (params.every(([, v]) => v === undefined)) {
    w.empty('virtualport', attrs);
    return;
  }
  w.open('virtualport', attrs);
  w.empty('parameters', params);
  w.close('virtualport');
}

function rateValue(el: XmlElement, name: string): bigint | undefined {
  const text = el.attr(name);
  if (text === undefined) return undefined;
  const v = parseULL(text);
  if (v === undefined) throw VirError.internal(`could not convert bandwidth ${name} value '${text}'`, N);
  return v;
}

function parseRate(el: XmlElement, allowFloor: boolean, inbound: boolean): BandwidthRate {
  const rate: BandwidthRate = {};
  const has = (n: string) => el.attr(n) !== undefined;
  if (has('average')) rate.average = rateValue(el, 'average');
  else if (!has('floor')) throw detailErr('Missing mandatory average or floor attributes');
  if ((has('peak') || has('burst')) && !has('average')) throw detailErr("'peak' and 'burst' require 'average' attribute");
  rate.peak = rateValue(el, 'peak');
  rate.burst = rateValue(el, 'burst');
  if (has('floor')) {
    if (!inbound) throw detailErr('floor attribute is supported only for inbound traffic');
    if (!allowFloor) throw unsupported('floor attribute is not supported for this config');
    rate.floor = rateValue(el, 'floor');
  }
  return rate;
}

/** virNetDevBandwidthParse (a network or portgroup: no floor, no class id). */
export function parseBandwidth(el: XmlElement, allowFloor = false): Bandwidth | undefined {
  const bw: Bandwidth = {};
  const ins = el.elements('inbound');
  const outs = el.elements('outbound');
  if (ins.length > 1) throw unsupported('Only one child <inbound> element allowed');
  if (outs.length > 1) throw unsupported('Only one child <outbound> element allowed');
  if (ins[0]) bw.inbound = parseRate(ins[0], allowFloor, true);
  if (outs[0]) bw.outbound = parseRate(outs[0], allowFloor, false);
  // An average of zero with no floor means "no limit": libvirt drops the direction.
  if (bw.inbound && !bw.inbound.average && !bw.inbound.floor) delete bw.inbound;
  if (bw.outbound && !bw.outbound.average) delete bw.outbound;
  return bw;
}

function formatRate(w: XmlWriter, name: string, r: BandwidthRate | undefined): void {
  if (!r || !(r.average || r.floor)) return;
  w.empty(name, [
    ['average', r.average ? String(r.average) : undefined],
    ['peak', r.peak ? String(r.peak) : undefined],
    ['floor', r.floor ? String(r.floor) : undefined],
    ['burst', r.burst ? String(r.burst) : undefined],
  ]);
}

/** virNetDevBandwidthFormat; `classId`: the HTB class a network port holds for its floor. */
export function formatBandwidth(w: XmlWriter, bw: Bandwidth | undefined, classId?: number): void {
  if (!bw) return;
  w.open('bandwidth', [['classID', classId || undefined]]);
  formatRate(w, 'inbound', bw.inbound);
  formatRate(w, 'outbound', bw.outbound);
  w.close('bandwidth');
}

/** virNetDevIPRouteParseXML + virNetDevIPRouteCreate, `what` naming the network in messages. */
export function parseRoute(what: string, el: XmlElement): IpRoute {
  const family = el.attr('family');
  const addressText = el.attr('address');
  const netmaskText = el.attr('netmask');
  const gatewayText = el.attr('gateway');
  const prefixText = el.attr('prefix');
  const metricText = el.attr('metric');
  const fail = (d: string) => xmlErr(`${what}: ${d}`);
  let prefix: number | undefined;
  if (prefixText !== undefined) {
    prefix = uint(prefixText);
    if (prefix === undefined) throw fail(`Invalid prefix specified in route definition`);
  }
  let metric: number | undefined;
  if (metricText !== undefined) {
    metric = uint(metricText);
    if (metric === undefined) throw fail(`Invalid metric specified in route definition`);
    if (metric === 0) throw unsupported(`${what}: Invalid metric value, must be > 0 in route definition`);
  }
  if (addressText === undefined) throw fail('Missing required address attribute in route definition');
  if (gatewayText === undefined) throw fail('Missing required gateway attribute in route definition');
  const address = tryParseIp(addressText);
  if (!address) throw fail(`Bad network address '${addressText}' in route definition`);
  const gateway = tryParseIp(gatewayText);
  if (!gateway) throw fail(`Bad gateway address '${gatewayText}' in route definition`);
  let netmask;
  if (netmaskText !== undefined) {
    netmask = tryParseIp(netmaskText);
    if (!netmask) throw fail(`Bad netmask address '${netmaskText}' in route definition`);
  }
  const want = family === 'ipv6' ? 6 : 4;
  if (family !== undefined && family !== 'ipv4' && family !== 'ipv6')
    throw unsupported(`${what}: Unrecognized family '${family}' in route definition`);
  if (want === 4 && (address.family !== 4 || gateway.family !== 4))
    throw unsupported(`${what}: ${family ? 'ipv4' : 'No'} family specified for non-IPv4 address '${addressText}' in route definition`);
  if (want === 6 && (address.family !== 6 || gateway.family !== 6))
    throw unsupported(`${what}: ipv6 family specified for non-IPv6 address '${addressText}' in route definition`);
  if (netmask && (want === 6 || netmask.family !== 4))
    throw unsupported(`${what}: Invalid netmask '${netmaskText}' for address '${addressText}' (both must be IPv4)`);
  if (prefix !== undefined && prefix > (want === 4 ? 32 : 128))
    throw unsupported(`${what}: Invalid prefix ${prefix} specified in route definition, must be 0 - ${want === 4 ? 32 : 128}`);
  return { family, address, netmask, prefix, hasPrefix: prefix !== undefined, gateway, metric };
}

/** virNetDevIPRouteFormat. */
export function formatRoute(w: XmlWriter, r: IpRoute): void {
  w.empty('route', [
    ['family', r.family],
    ['address', formatIp(r.address)],
    ['netmask', r.netmask && formatIp(r.netmask)],
    ['prefix', r.hasPrefix ? r.prefix : undefined],
    ['gateway', formatIp(r.gateway)],
    ['metric', r.metric],
  ]);
}
