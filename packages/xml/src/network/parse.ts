/** `<network>` → NetworkDef, following libvirt's virNetworkDefParseXML rule by rule. */
import { ErrorDomain, ErrorNumber, VirError, newUuid, parseUuid } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { propYesNo } from '../props';
import { parseULL } from '../scaled';
import { netError, netXmlError } from './errors';
import { parseNetworkIp } from './parse-ip';
import { parseDns } from './parse-dns';
import { parseForward } from './parse-forward';
import { parseBandwidth, parseRoute, parseVirtualPort, parseVlan } from './netdev';
import { ipPrefix, maskByPrefix, ipEqual, formatIp, parseMac, macIsMulticast } from './socket-addr';
import type { NetworkDef, PortGroup } from './types';

const D = ErrorDomain.VIR_FROM_NETWORK;

/** The network driver's XML namespace for extra dnsmasq options. */
export const DNSMASQ_NAMESPACE = 'http://libvirt.org/schemas/network/dnsmasq/1.0';

export interface NetworkParseOptions {
  /** Supplies the UUID of a definition without one (tests make it deterministic). */
  generateUuid?: () => string;
}

/** virXPathString("string(./x[1])"): the text of the first child, undefined when absent or empty. */
function childText(el: XmlElement, name: string): string | undefined {
  const t = el.element(name)?.text();
  return t === undefined || t === '' ? undefined : t;
}

/** virNetworkPortGroupParseXML. */
export function parsePortGroup(el: XmlElement): PortGroup {
  const name = el.attr('name');
  if (!name) throw netXmlError('Missing required name attribute in portgroup');
  const pg: PortGroup = {
    name,
    isDefault: el.attr('default')?.toLowerCase() === 'yes',
    trustGuestRxFilters: propYesNo(el, 'trustGuestRxFilters'),
  };
  const vp = el.element('virtualport');
  if (vp) pg.virtualPort = parseVirtualPort(vp, false);
  const bw = el.element('bandwidth');
  if (bw) pg.bandwidth = parseBandwidth(bw);
  const vlan = el.element('vlan');
  if (vlan) pg.vlan = parseVlan(vlan);
  return pg;
}

/** The `<dnsmasq:options>` of the network driver's namespace, by whatever prefix binds it. */
function parseDnsmasqOptions(root: XmlElement): string[] {
  const prefix = [...root.attrs].find(([k, v]) => k.startsWith('xmlns:') && v === DNSMASQ_NAMESPACE)?.[0].slice(6);
  if (!prefix) return [];
  const options: string[] = [];
  for (const opts of root.elements(`${prefix}:options`)) {
    for (const opt of opts.elements(`${prefix}:option`)) {
      const value = opt.attr('value');
      if (value === undefined) throw netXmlError('No dnsmasq options value specified');
      options.push(value);
    }
  }
  return options;
}

function parseBridge(def: NetworkDef, root: XmlElement): boolean {
  const bridge = root.element('bridge');
  def.bridge = bridge?.attr('name') || undefined;
  def.bridgeZone = bridge?.attr('zone') || undefined;
  const stp = bridge?.attr('stp');
  def.stp = stp !== 'off';
  const delay = bridge?.attr('delay');
  if (delay) {
    const v = parseULL(delay);
    if (v === undefined) throw netXmlError(`Invalid delay value in network '${def.name}'`);
    def.delay = Number(v);
  }
  const mtm = bridge?.attr('macTableManager');
  if (mtm) {
    if (mtm !== 'kernel' && mtm !== 'libvirt') throw netXmlError(`Invalid macTableManager setting '${mtm}' in network '${def.name}'`);
    def.macTableManager = mtm;
  }
  return !!stp;
}

function parseMacElement(def: NetworkDef, root: XmlElement): void {
  const macText = root.element('mac')?.attr('address');
  if (!macText) return;
  const mac = parseMac(macText);
  if (!mac) throw netXmlError(`Invalid bridge mac address '${macText}' in network '${def.name}'`);
  if (macIsMulticast(mac)) throw netXmlError(`Invalid multicast bridge mac address '${macText}' in network '${def.name}'`);
  def.mac = mac;
}

/** Each static route's gateway must be on the subnet of one of the network's addresses. */
function checkRouteGateways(def: NetworkDef): void {
  for (const route of def.routes) {
    const reachable = def.ips.some((ip) => {
      if (ip.address.family !== route.gateway.family) return false;
      const prefix = ipPrefix(ip.address, ip.netmask, ip.prefix);
      const a = maskByPrefix(ip.address, prefix);
      const g = maskByPrefix(route.gateway, prefix);
      return ipEqual(a, g);
    });
    if (!reachable)
      throw netError(
        ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
        `unreachable static route gateway '${formatIp(route.gateway)}' specified for network '${def.name}'`,
      );
  }
}

/** The checks that tie the bridge, MTU and addresses to the forward mode. */
function checkForwardMode(def: NetworkDef, stpGiven: boolean): void {
  const mode = def.forward.mode;
  switch (mode) {
    case 'none':
      break;
    case 'route':
    case 'nat':
    case 'open':
      if (!def.ips.length) throw netXmlError(`${mode} forwarding requested, but no IP address provided for network '${def.name}'`);
      if (def.forward.ifs.length > 1)
        throw netXmlError(`multiple forwarding interfaces specified for network '${def.name}', only one is supported`);
      if (mode === 'open' && def.forward.ifs.length)
        throw netXmlError(`forward dev not allowed for network '${def.name}' with forward mode='${mode}'`);
      break;
    default:
      if (mode !== 'bridge') {
        if (def.bridge) throw netXmlError(`bridge name not allowed in ${mode} mode (network '${def.name}')`);
        if (def.bridgeZone) throw netXmlError(`bridge zone not allowed in ${mode} mode (network '${def.name}')`);
        if (def.macTableManager) throw netXmlError(`bridge macTableManager setting not allowed in ${mode} mode (network '${def.name}')`);
      }
      if (def.delay || stpGiven || def.bridgeZone)
        throw netXmlError(
          `bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in ${mode} (network '${def.name}')`,
        );
      if (def.bridge && (def.forward.ifs.length || def.forward.pfs.length))
        throw netXmlError(
          `A network with forward mode='${mode}' can specify a bridge name or a forward dev, but not both (network '${def.name}')`,
        );
  }
  if (def.mtu && !['none', 'nat', 'route', 'open'].includes(mode))
    throw netXmlError(`mtu size only allowed in open, route, nat, and isolated mode, not in ${mode} (network '${def.name}')`);
}

function parseIdentity(root: XmlElement, opts: NetworkParseOptions): Pick<NetworkDef, 'name' | 'uuid' | 'uuidSpecified'> {
  const name = childText(root, 'name');
  if (name === undefined) throw VirError.create(ErrorNumber.VIR_ERR_NO_NAME, D);
  if (name.includes('/')) throw netError(ErrorNumber.VIR_ERR_XML_DETAIL, 'invalid char in name: /');
  const uuidText = childText(root, 'uuid');
  if (uuidText === undefined) return { name, uuid: (opts.generateUuid ?? newUuid)(), uuidSpecified: false };
  const uuid = parseUuid(uuidText);
  if (!uuid) throw netError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'malformed uuid element');
  return { name, uuid, uuidSpecified: true };
}

/** Parse a `<network>` element. */
export function parseNetworkElement(root: XmlElement, opts: NetworkParseOptions = {}): NetworkDef {
  if (root.name !== 'network') throw netXmlError(`unexpected root element <${root.name}>, expecting <network>`);
  const def: NetworkDef = {
    ...parseIdentity(root, opts),
    ipv6nogw: false,
    connections: 0,
    stp: true,
    delay: 0,
    mtu: 0,
    forward: { mode: 'none', managed: false, ifs: [], pfs: [], natPortStart: 0, natPortEnd: 0 },
    ips: [],
    routes: [],
    dns: { forwarders: [], txts: [], hosts: [], srvs: [] },
    portGroups: [],
    dnsmasqOptions: [],
  };
  def.title = childText(root, 'title');
  if (def.title?.includes('\n')) throw netXmlError("Network title can't contain newlines");
  def.description = childText(root, 'description');
  const ipv6 = root.attr('ipv6');
  if (ipv6 !== undefined) {
    if (ipv6 !== 'yes' && ipv6 !== 'no') throw netXmlError(`Invalid ipv6 setting '${ipv6}' in network '${def.name}'`);
    def.ipv6nogw = ipv6 === 'yes';
  }
  def.trustGuestRxFilters = propYesNo(root, 'trustGuestRxFilters');
  const domain = root.element('domain');
  if (domain) {
    def.domain = domain.attr('name');
    def.domainLocalOnly = propYesNo(domain, 'localOnly');
  }
  const bw = root.element('bandwidth');
  if (bw) def.bandwidth = parseBandwidth(bw);
  const vlan = root.element('vlan');
  if (vlan) def.vlan = parseVlan(vlan);
  const port = root.element('port');
  if (port) def.isolatedPort = propYesNo(port, 'isolated');
  const stpGiven = parseBridge(def, root);
  parseMacElement(def, root);
  const mtu = root.element('mtu')?.attr('size');
  if (mtu) {
    const v = propUIntText(mtu);
    if (v === undefined) throw netXmlError(`Invalid mtu size '${mtu}' in network '${def.name}'`);
    def.mtu = v;
  }
  const dns = root.element('dns');
  if (dns) def.dns = parseDns(def.name, dns);
  const vp = root.element('virtualport');
  if (vp) def.virtualPort = parseVirtualPort(vp, true);
  def.portGroups = root.elements('portgroup').map(parsePortGroup);
  def.ips = root.elements('ip').map((el) => parseNetworkIp(def.name, el));
  def.routes = root.elements('route').map((el) => parseRoute(def.name, el));
  checkRouteGateways(def);
  const forward = root.element('forward');
  if (forward) def.forward = parseForward(def.name, forward);
  checkForwardMode(def, stpGiven);
  def.metadata = root.element('metadata');
  def.dnsmasqOptions = parseDnsmasqOptions(root);
  return def;
}

/** virStrToLong_ui on a whole attribute value. */
function propUIntText(text: string): number | undefined {
  const v = parseULL(text);
  return v !== undefined && v <= 0xffffffffn ? Number(v) : undefined;
}

/** Parse network XML text (virNetworkDefParse without schema validation). */
export function parseNetworkXml(xml: string, opts: NetworkParseOptions = {}): NetworkDef {
  return parseNetworkElement(parseXml(xml), opts);
}
