/**
 * virNetworkUpdate's edit of one definition (virNetworkDefUpdateSection in libvirt's
 * network_conf.c): add, delete or modify one element of a section, with libvirt's matching rules
 * and texts. The caller works on a copy and re-checks the result by a format/parse cycle.
 */
import { ErrorNumber } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { netError } from './errors';
import { parseDhcpHost, parseDhcpRange } from './parse-ip';
import { parseDnsHost, parseDnsSrv, parseDnsTxt } from './parse-dns';
import { parsePortGroup } from './parse';
import { formatIp, ipEqual, parseMac } from './socket-addr';
import type { NetworkDef, NetworkIp } from './types';

/** virNetworkUpdateCommand values. */
const MODIFY = 1;
const DELETE = 2;
const ADD_LAST = 3;
const ADD_FIRST = 4;

const unsupported = (d: string) => netError(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, d);
const invalid = (d: string) => netError(ErrorNumber.VIR_ERR_OPERATION_INVALID, d);
const unknownCommand = (command: number) => unsupported(`unrecognized network update command code ${command}`);
const isAdd = (command: number) => command === ADD_FIRST || command === ADD_LAST;

/** Insert at the start (ADD_FIRST) or the end (ADD_LAST). */
function insert<T>(list: T[], item: T, command: number): void {
  if (command === ADD_FIRST) list.unshift(item);
  else list.push(item);
}

function checkElementName(def: NetworkDef, el: XmlElement, section: string): void {
  if (el.name !== section)
    throw netError(
      ErrorNumber.VIR_ERR_XML_ERROR,
      `unexpected element <${el.name}>, expecting <${section}>, while updating network '${def.name}'`,
    );
}

const sameMac = (a: string | undefined, b: string | undefined) => !!a && !!b && parseMac(a) === parseMac(b);

/** virNetworkDefGetIPByIndex: the n-th `<ip>` of a family (any family when 0). */
function ipByIndex(def: NetworkDef, family: 0 | 4 | 6, n: number): NetworkIp | undefined {
  return def.ips.filter((ip) => family === 0 || ip.address.family === family)[n];
}

/** virNetworkIPDefByIndex: the `<ip>` a DHCP section update works on. */
function dhcpIp(def: NetworkDef, parentIndex: number): NetworkIp {
  if (parentIndex >= 0) {
    const ip = ipByIndex(def, 0, parentIndex);
    if (!ip) throw invalid(`couldn't update dhcp host entry - no <ip> element found at index ${parentIndex} in network '${def.name}'`);
    return ip;
  }
  const ip = def.ips.find((x) => x.ranges.length || x.hosts.length) ?? ipByIndex(def, 4, 0) ?? ipByIndex(def, 6, 0);
  if (!ip) throw invalid(`couldn't update dhcp host entry - no <ip> element found in network '${def.name}'`);
  return ip;
}

/** virNetworkDefUpdateCheckMultiDHCP: only one `<ip>` per family may have DHCP. */
function checkMultiDhcp(def: NetworkDef, ipdef: NetworkIp): void {
  const family = ipdef.address.family;
  for (const ip of def.ips) {
    if (ip !== ipdef && ip.address.family === family && (ip.ranges.length || ip.hosts.length))
      throw invalid(`dhcp is supported only for a single ${family === 4 ? 'IPv4' : 'IPv6'} address on each network`);
  }
}

/**
 * libvirt looks the `<ip>` up first but reports a wrong element name over a missing `<ip>`
 * (the later error replaces the earlier one).
 */
function dhcpIpAfterName(def: NetworkDef, parentIndex: number, el: XmlElement, section: string): NetworkIp {
  let ip: NetworkIp | undefined;
  let lookupError: unknown;
  try {
    ip = dhcpIp(def, parentIndex);
  } catch (e) {
    lookupError = e;
  }
  checkElementName(def, el, section);
  if (!ip) throw lookupError;
  return ip;
}

function updateDhcpHost(def: NetworkDef, command: number, parentIndex: number, el: XmlElement): void {
  const ipdef = dhcpIpAfterName(def, parentIndex, el, 'host');
  const partialOkay = command === DELETE;
  const host = parseDhcpHost(def.name, ipdef, el, partialOkay);
  if (!partialOkay && ipdef.address.family !== host.ip?.family)
    throw invalid("the address family of a host entry IP must match the address family of the dhcp element's parent");
  const ipText = host.ip ? formatIp(host.ip) : 'unknown';
  const matchesAny = (h: (typeof ipdef.hosts)[number]) =>
    sameMac(host.mac, h.mac) || (!!host.ip && ipEqual(host.ip, h.ip)) || (!!host.name && host.name === h.name);
  if (command === MODIFY) {
    const i = ipdef.hosts.findIndex(matchesAny);
    if (i < 0)
      throw invalid(
        `couldn't locate an existing dhcp host entry with "mac='${host.mac ?? 'unknown'}'" "name='${host.name ?? '(null)'}'" "ip='${ipText}'" in network '${def.name}'`,
      );
    ipdef.hosts[i] = host;
  } else if (isAdd(command)) {
    checkMultiDhcp(def, ipdef);
    if (ipdef.hosts.some(matchesAny))
      throw invalid(
        `there is an existing dhcp host entry in network '${def.name}' that matches "<host mac='${host.mac ?? 'unknown'}' name='${host.name ?? '(null)'}' ip='${ipText}'/>"`,
      );
    insert(ipdef.hosts, host, command);
  } else if (command === DELETE) {
    // every attribute given must match (a MAC on either side that is absent does not count)
    const i = ipdef.hosts.findIndex(
      (h) =>
        (!host.mac || !h.mac || sameMac(host.mac, h.mac)) && (!host.name || host.name === h.name) && (!host.ip || ipEqual(host.ip, h.ip)),
    );
    if (i < 0) throw invalid(`couldn't locate a matching dhcp host entry in network '${def.name}'`);
    ipdef.hosts.splice(i, 1);
  } else throw unknownCommand(command);
}

function updateDhcpRange(def: NetworkDef, command: number, parentIndex: number, el: XmlElement): void {
  const ipdef = dhcpIpAfterName(def, parentIndex, el, 'range');
  if (command === MODIFY) throw unsupported('dhcp ranges cannot be modified, only added or deleted');
  const range = parseDhcpRange(def.name, ipdef, el);
  if (ipdef.address.family !== range.start.family)
    throw invalid("the address family of a dhcp range must match the address family of the dhcp element's parent");
  const i = ipdef.ranges.findIndex((r) => ipEqual(r.start, range.start) && ipEqual(r.end, range.end));
  if (isAdd(command)) {
    checkMultiDhcp(def, ipdef);
    if (i >= 0)
      throw invalid(
        `there is an existing dhcp range entry in network '${def.name}' that matches "<range start='${formatIp(range.start)}' end='${formatIp(range.end)}'/>"`,
      );
    insert(ipdef.ranges, range, command);
  } else if (command === DELETE) {
    if (i < 0) throw invalid(`couldn't locate a matching dhcp range entry in network '${def.name}'`);
    ipdef.ranges.splice(i, 1);
  } else throw unknownCommand(command);
}

function updateForwardInterface(def: NetworkDef, command: number, el: XmlElement): void {
  checkElementName(def, el, 'interface');
  if (command === MODIFY) throw unsupported('forward interface entries cannot be modified, only added or deleted');
  const dev = el.attr('dev');
  if (dev === undefined) throw netError(ErrorNumber.VIR_ERR_XML_ERROR, 'missing dev attribute in <interface> element');
  const ifs = def.forward.ifs;
  const i = ifs.findIndex((f) => f.type === 'netdev' && f.dev === dev);
  if (isAdd(command)) {
    if (i >= 0) throw invalid(`there is an existing interface entry in network '${def.name}' that matches "<interface dev='${dev}'>"`);
    insert(ifs, { type: 'netdev', dev, connections: 0 }, command);
  } else if (command === DELETE) {
    if (i < 0) throw invalid(`couldn't find an interface entry in network '${def.name}' matching <interface dev='${dev}'>`);
    const used = ifs[i]!.connections;
    if (used > 0)
      throw invalid(`unable to delete interface '${dev}' in network '${def.name}'. It is currently being used  by ${used} domains.`);
    ifs.splice(i, 1);
  } else throw unknownCommand(command);
}

function updatePortGroup(def: NetworkDef, command: number, el: XmlElement): void {
  checkElementName(def, el, 'portgroup');
  const pg = parsePortGroup(el);
  const foundName = def.portGroups.findIndex((p) => p.name === pg.name);
  const foundDefault = def.portGroups.map((p) => p.isDefault).lastIndexOf(true);
  if (foundName < 0 && (command === MODIFY || command === DELETE))
    throw invalid(`couldn't find a portgroup entry in network '${def.name}' matching <portgroup name='${pg.name}'>`);
  if (foundName >= 0 && isAdd(command))
    throw invalid(`there is an existing portgroup entry in network '${def.name}' that matches "<portgroup name='${pg.name}'>"`);
  if (command !== DELETE && pg.isDefault && foundDefault >= 0 && foundDefault !== foundName)
    throw invalid(`a different portgroup entry in network '${def.name}' is already set as the default. Only one default is allowed.`);
  if (command === MODIFY) def.portGroups[foundName] = pg;
  else if (isAdd(command)) insert(def.portGroups, pg, command);
  else if (command === DELETE) def.portGroups.splice(foundName, 1);
  else throw unknownCommand(command);
}

function updateDnsHost(def: NetworkDef, command: number, el: XmlElement): void {
  if (command === MODIFY) throw unsupported('DNS HOST records cannot be modified, only added or deleted');
  checkElementName(def, el, 'host');
  const host = parseDnsHost(def.name, el, !isAdd(command));
  // an add only refuses a second record of the same address: several addresses may share a name
  const found = def.dns.hosts
    .map((h, i) => ((!!host.ip && ipEqual(host.ip, h.ip)) || (!isAdd(command) && host.names.some((n) => h.names.includes(n))) ? i : -1))
    .filter((i) => i >= 0);
  if (isAdd(command)) {
    if (found.length) throw invalid(`there is already at least one DNS HOST record with a matching field in network ${def.name}`);
    insert(def.dns.hosts, host, command);
  } else if (command === DELETE) {
    if (!found.length) throw invalid(`couldn't locate a matching DNS HOST record in network ${def.name}`);
    if (found.length > 1) throw invalid(`multiple matching DNS HOST records were found in network ${def.name}`);
    def.dns.hosts.splice(found[0]!, 1);
  } else throw unknownCommand(command);
}

function updateDnsSrv(def: NetworkDef, command: number, el: XmlElement): void {
  if (command === MODIFY) throw unsupported('DNS SRV records cannot be modified, only added or deleted');
  checkElementName(def, el, 'srv');
  const srv = parseDnsSrv(def.name, el, !isAdd(command));
  const given = (k: 'domain' | 'service' | 'protocol' | 'target', v: string | undefined) => !srv[k] || srv[k] === v;
  const found = def.dns.srvs
    .map((s, i) =>
      given('domain', s.domain) && given('service', s.service) && given('protocol', s.protocol) && given('target', s.target) ? i : -1,
    )
    .filter((i) => i >= 0);
  if (isAdd(command)) {
    if (found.length) throw invalid(`there is already at least one DNS SRV record matching all specified fields in network ${def.name}`);
    insert(def.dns.srvs, srv, command);
  } else if (command === DELETE) {
    if (!found.length) throw invalid(`couldn't locate a matching DNS SRV record in network ${def.name}`);
    if (found.length > 1) throw invalid(`multiple DNS SRV records matching all specified fields were found in network ${def.name}`);
    def.dns.srvs.splice(found[found.length - 1]!, 1);
  } else throw unknownCommand(command);
}

function updateDnsTxt(def: NetworkDef, command: number, el: XmlElement): void {
  if (command === MODIFY) throw unsupported('DNS TXT records cannot be modified, only added or deleted');
  checkElementName(def, el, 'txt');
  const txt = parseDnsTxt(def.name, el, !isAdd(command));
  const i = def.dns.txts.findIndex((t) => t.name === txt.name);
  if (isAdd(command)) {
    if (i >= 0) throw invalid(`there is already a DNS TXT record with name '${txt.name}' in network ${def.name}`);
    insert(def.dns.txts, txt, command);
  } else if (command === DELETE) {
    if (i < 0) throw invalid(`couldn't locate a matching DNS TXT record in network ${def.name}`);
    def.dns.txts.splice(i, 1);
  } else throw unknownCommand(command);
}

/** Sections libvirt refuses to update at all, by virNetworkUpdateSection value, with the name its error uses. */
const NO_SUPPORT: Record<number, string> = { 1: 'bridge', 2: 'domain', 3: 'ip', 6: 'forward', 8: 'forward pf' };

/** virNetworkDefUpdateSection: apply one update to `def` in place. */
export function updateNetworkSection(def: NetworkDef, command: number, section: number, parentIndex: number, xml: string): void {
  const el = parseXml(xml);
  if (NO_SUPPORT[section]) throw unsupported(`can't update '${NO_SUPPORT[section]}' section of network '${def.name}'`);
  switch (section) {
    case 4:
      return updateDhcpHost(def, command, parentIndex, el);
    case 5:
      return updateDhcpRange(def, command, parentIndex, el);
    case 7:
      return updateForwardInterface(def, command, el);
    case 9:
      return updatePortGroup(def, command, el);
    case 10:
      return updateDnsHost(def, command, el);
    case 11:
      return updateDnsTxt(def, command, el);
    case 12:
      return updateDnsSrv(def, command, el);
    default:
      throw unsupported("can't update unrecognized section of network");
  }
}
