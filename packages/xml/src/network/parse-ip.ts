/** `<ip>` with its `<dhcp>` and `<tftp>` (virNetworkIPDefParseXML and the DHCP parsers). */
import { ErrorNumber } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { propEnum, propUInt } from '../props';
import { parseULL } from '../scaled';
import { netError, netXmlError } from './errors';
import { ipPrefix, macIsMulticast, parseIp, parseMac, rangeSize, tryParseIp } from './socket-addr';
import type { DhcpHost, DhcpRange, LeaseTime, NetworkIp } from './types';

const unsupported = (d: string) => netError(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, d);

/** virStrToLong_ull with base 0 (decimal, 0x hex, 0 octal). */
function parseULLBase0(text: string): bigint | undefined {
  const t = text.trim();
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t);
  if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
  return parseULL(t);
}

/** virNetworkDHCPLeaseTimeDefParseXML: `<lease expiry unit>`, undefined without an expiry. */
export function parseLease(el: XmlElement): LeaseTime | undefined {
  const text = el.attr('expiry');
  if (text === undefined) return undefined;
  const expiry = parseULLBase0(text);
  if (expiry === undefined) throw netXmlError(`Invalid value for attribute 'expiry' in element 'lease': '${text}'. Expected integer value`);
  const unit = propEnum(el, 'unit', ['seconds', 'minutes', 'hours'] as const) ?? 'minutes';
  if (expiry > 0n && ((unit === 'seconds' && expiry < 120n) || (unit === 'minutes' && expiry < 2n)))
    throw unsupported('The minimum lease time should be greater than 2 minutes');
  return { expiry, unit };
}

/** virNetworkDHCPRangeDefParseXML. */
export function parseDhcpRange(networkName: string, ip: NetworkIp, el: XmlElement): DhcpRange {
  const startText = el.attr('start');
  if (startText === undefined) throw netXmlError(`Missing 'start' attribute in dhcp range for network '${networkName}'`);
  const start = parseIp(startText);
  const endText = el.attr('end');
  if (endText === undefined) throw netXmlError(`Missing 'end' attribute in dhcp range for network '${networkName}'`);
  const end = parseIp(endText);
  rangeSize(start, end, ip.address, ipPrefix(ip.address, ip.netmask, ip.prefix));
  const range: DhcpRange = { start, end };
  const lease = el.element('lease');
  if (lease) range.lease = parseLease(lease);
  return range;
}

function checkHostAttrs(networkName: string, ip: NetworkIp, el: XmlElement): DhcpHost {
  const host: DhcpHost = {};
  const mac = el.attr('mac');
  if (mac !== undefined) {
    if (ip.address.family === 6)
      throw netXmlError(`Invalid to specify MAC address '${mac}' in network '${networkName}' IPv6 static host definition`);
    const parsed = parseMac(mac);
    if (!parsed) throw netXmlError(`Cannot parse MAC address '${mac}' in network '${networkName}'`);
    if (macIsMulticast(parsed)) throw netXmlError(`expected unicast mac address, found multicast '${mac}' in network '${networkName}'`);
    host.mac = mac;
  }
  const id = el.attr('id');
  if (id !== undefined) {
    const bad = /[^0-9a-fA-F:]/.exec(id);
    if (bad) throw netXmlError(`Invalid character '${bad[0]}' in id '${id}' of network '${networkName}'`);
    host.id = id;
  }
  const name = el.attr('name');
  if (name !== undefined && !/^[A-Za-z0-9]/.test(name)) throw netXmlError(`Cannot use host name '${name}' in network '${networkName}'`);
  host.name = name;
  const ipText = el.attr('ip');
  if (ipText !== undefined) {
    host.ip = tryParseIp(ipText);
    if (!host.ip) throw netXmlError(`Invalid IP address in static host definition for network '${networkName}'`);
  }
  return host;
}

/** virNetworkDHCPHostDefParseXML; `partialOkay` is the delete/match form of virNetworkUpdate. */
export function parseDhcpHost(networkName: string, ip: NetworkIp, el: XmlElement, partialOkay: boolean): DhcpHost {
  const host = checkHostAttrs(networkName, ip, el);
  if (partialOkay) {
    if (!(host.mac || host.name || host.ip))
      throw netXmlError(
        `At least one of name, mac, or ip attribute must be specified for static host definition in network '${networkName}'`,
      );
  } else {
    if (ip.address.family === 6) {
      if (!(host.id || host.name))
        throw netXmlError(`Static host definition in IPv6 network '${networkName}' must have id or name attribute`);
    } else if (!(host.mac || host.name)) {
      throw netXmlError(`Static host definition in IPv4 network '${networkName}' must have mac or name attribute`);
    }
    if (!host.ip) throw netXmlError(`Missing IP address in static host definition for network '${networkName}'`);
  }
  const lease = el.element('lease');
  if (lease) host.lease = parseLease(lease);
  return host;
}

function parseDhcp(networkName: string, el: XmlElement, ip: NetworkIp): void {
  for (const r of el.elements('range')) ip.ranges.push(parseDhcpRange(networkName, ip, r));
  for (const h of el.elements('host')) ip.hosts.push(parseDhcpHost(networkName, ip, h, false));
  const bootp = el.element('bootp');
  if (bootp && ip.address.family === 4) {
    const file = bootp.attr('file');
    if (file === undefined) throw netXmlError("Missing required attribute 'file' in element 'bootp'");
    ip.bootfile = file;
    const server = bootp.attr('server');
    if (server !== undefined) ip.bootserver = parseIp(server);
  }
}

/** Family rules for an `<ip>`: the address, netmask and prefix must agree with `family`. */
function checkFamily(networkName: string, ip: NetworkIp, addressText: string, netmaskText: string | undefined): void {
  if (ip.family === undefined || ip.family === 'ipv4') {
    if (ip.address.family !== 4)
      throw unsupported(
        `${ip.family === undefined ? 'no' : 'ipv4'} family specified for non-IPv4 address '${addressText}' in network '${networkName}'`,
      );
    if (netmaskText !== undefined) {
      if (ip.netmask?.family !== 4)
        throw unsupported(`Invalid netmask '${netmaskText}' for address '${addressText}' in network '${networkName}' (both must be IPv4)`);
      if (ip.prefix) throw unsupported(`Network '${networkName}' IP address cannot have both a prefix and a netmask`);
    } else if ((ip.prefix ?? 0) > 32) throw unsupported(`Invalid IPv4 prefix '${ip.prefix}' in network '${networkName}'`);
  } else if (ip.family === 'ipv6') {
    if (ip.address.family !== 6)
      throw unsupported(`Family 'ipv6' specified for non-IPv6 address '${addressText}' in network '${networkName}'`);
    if (netmaskText !== undefined) throw unsupported(`netmask not allowed for IPv6 address '${addressText}' in network '${networkName}'`);
    if ((ip.prefix ?? 0) > 128) throw unsupported(`Invalid IPv6 prefix '${ip.prefix}' in network '${networkName}'`);
  } else {
    throw netXmlError(`Unrecognized family '${ip.family}' in network '${networkName}'`);
  }
}

/** virNetworkIPDefParseXML. */
export function parseNetworkIp(networkName: string, el: XmlElement): NetworkIp {
  const family = el.attr('family') || undefined;
  const addressText = el.attr('address');
  if (!addressText) throw netXmlError(`Missing required address attribute in network '${networkName}'`);
  const address = tryParseIp(addressText);
  if (!address) throw netXmlError(`Invalid address '${addressText}' in network '${networkName}'`);
  const ip: NetworkIp = { family, address, ranges: [], hosts: [] };
  const netmaskText = el.attr('netmask') || undefined;
  if (netmaskText !== undefined) {
    ip.netmask = tryParseIp(netmaskText);
    if (!ip.netmask) throw netXmlError(`Invalid netmask '${netmaskText}' in network '${networkName}'`);
  }
  ip.prefix = propUInt(el, 'prefix');
  ip.localPtr = propEnum(el, 'localPtr', ['absent', 'yes', 'no'] as const, { nonzero: true }) as NetworkIp['localPtr'];
  checkFamily(networkName, ip, addressText, netmaskText);
  const dhcp = el.element('dhcp');
  if (dhcp) parseDhcp(networkName, dhcp, ip);
  if (el.element('tftp')) {
    if (ip.address.family !== 4) throw unsupported(`Unsupported <tftp> element in an IPv6 element in network '${networkName}'`);
    ip.tftproot = el.element('tftp')?.attr('root') || undefined;
  }
  return ip;
}
