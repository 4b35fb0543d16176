/** `<dns>` and its records (virNetworkDNSDefParseXML and the per-record parsers). */
import { ErrorNumber } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { propYesNo } from '../props';
import { parseULL } from '../scaled';
import { netError, netXmlError } from './errors';
import { tryParseIp } from './socket-addr';
import type { DnsHost, DnsSrv, DnsTxt, NetworkDns } from './types';

const detail = (d: string) => netError(ErrorNumber.VIR_ERR_XML_DETAIL, d);

/** libvirt's limit for an SRV service name (DNS_RECORD_LENGTH_SRV). */
const SRV_SERVICE_MAX = 512 - 30;
const PROTOCOL_CHARS = /^[A-Za-z0-9\-+/]*$/;
const SERVICE_CHARS = /^[A-Za-z0-9_\-+/*]*$/;

/** virNetworkDNSHostDefParseXML. */
export function parseDnsHost(networkName: string, el: XmlElement, partialOkay: boolean): DnsHost {
  const names = el.elements('hostname').map((h) => h.text());
  if (names.some((n) => n === '') || (!names.length && !partialOkay))
    throw detail(`Missing hostname in network '${networkName}' DNS HOST record`);
  const ipText = el.attr('ip');
  const host: DnsHost = { names };
  if (ipText !== undefined) {
    host.ip = tryParseIp(ipText);
    if (!host.ip) throw detail(`Invalid IP address in network '${networkName}' DNS HOST record`);
  } else {
    if (!partialOkay) throw detail(`Missing IP address in network '${networkName}' DNS HOST record`);
    if (!names.length) throw detail(`Missing ip and hostname in network '${networkName}' DNS HOST record`);
  }
  return host;
}

/** virXPathUInt on an attribute: undefined when absent, 'bad' when not an unsigned int. */
function srvNumber(el: XmlElement, name: string): number | 'bad' | undefined {
  const text = el.attr(name);
  if (text === undefined || text === '') return undefined;
  const v = parseULL(text);
  return v !== undefined && v <= 0xffffffffn ? Number(v) : 'bad';
}

function srvField(srv: DnsSrv, networkName: string, el: XmlElement, name: 'port' | 'priority' | 'weight', min: number): void {
  const v = srvNumber(el, name);
  const service = srv.service ?? '(null)';
  if (v !== undefined && v !== 'bad' && !srv.target)
    throw detail(`DNS SRV ${name} attribute not permitted without target for service '${service}' in network '${networkName}'`);
  if (v === 'bad' || (v !== undefined && (v < min || v > 65535))) {
    const what = name === 'priority' ? 'Invalid' : 'invalid';
    throw detail(`${what} DNS SRV ${name} attribute for service '${service}' in network '${networkName}'`);
  }
  if (v !== undefined) srv[name] = v;
}

/** virNetworkDNSSrvDefParseXML. */
export function parseDnsSrv(networkName: string, el: XmlElement, partialOkay: boolean): DnsSrv {
  const srv: DnsSrv = { service: el.attr('service') };
  if (srv.service === undefined && !partialOkay)
    throw detail(`missing required service attribute in DNS SRV record of network '${networkName}'`);
  if (srv.service !== undefined) {
    if (srv.service.length > SRV_SERVICE_MAX)
      throw detail(`service attribute '${srv.service}' in network '${networkName}' is too long, limit is ${SRV_SERVICE_MAX} bytes`);
    if (!SERVICE_CHARS.test(srv.service))
      throw detail(`invalid character in service attribute '${srv.service}' in DNS SRV record of network '${networkName}'`);
  }
  srv.protocol = el.attr('protocol');
  if (srv.protocol === undefined && !partialOkay)
    throw detail(`missing required protocol attribute in DNS SRV record '${srv.service ?? '(null)'}' of network '${networkName}'`);
  if (srv.protocol !== undefined && !PROTOCOL_CHARS.test(srv.protocol))
    throw detail(`invalid character in protocol attribute '${srv.protocol}' in DNS SRV record of network '${networkName}'`);
  srv.domain = el.attr('domain');
  srv.target = el.attr('target');
  srvField(srv, networkName, el, 'port', 1);
  srvField(srv, networkName, el, 'priority', 0);
  srvField(srv, networkName, el, 'weight', 0);
  return srv;
}

/** virNetworkDNSTxtDefParseXML. */
export function parseDnsTxt(networkName: string, el: XmlElement, partialOkay: boolean): DnsTxt {
  const name = el.attr('name');
  if (name === undefined) throw detail(`missing required name attribute in DNS TXT record of network ${networkName}`);
  if (/[ ,]/.test(name)) throw detail(`prohibited character in DNS TXT record name '${name}' of network ${networkName}`);
  const value = el.attr('value');
  if (value === undefined && !partialOkay)
    throw detail(`missing required value attribute in DNS TXT record named '${name}' of network ${networkName}`);
  return { name, value };
}

/** virNetworkDNSDefParseXML. */
export function parseDns(networkName: string, el: XmlElement): NetworkDns {
  const dns: NetworkDns = {
    enable: propYesNo(el, 'enable'),
    forwardPlainNames: propYesNo(el, 'forwardPlainNames'),
    forwarders: [],
    txts: [],
    hosts: [],
    srvs: [],
  };
  for (const f of el.elements('forwarder')) {
    const addrText = f.attr('addr');
    const addr = addrText !== undefined ? tryParseIp(addrText) : undefined;
    if (addrText !== undefined && !addr) throw netXmlError(`Invalid forwarder IP address '${addrText}' in network '${networkName}'`);
    const domain = f.attr('domain');
    if (!(addrText !== undefined || domain !== undefined))
      throw netXmlError('Invalid forwarder element, must contain at least one of addr or domain');
    dns.forwarders.push({ addr, domain });
  }
  dns.hosts = el.elements('host').map((h) => parseDnsHost(networkName, h, false));
  dns.srvs = el.elements('srv').map((s) => parseDnsSrv(networkName, s, false));
  dns.txts = el.elements('txt').map((t) => parseDnsTxt(networkName, t, false));
  if (dns.enable === 'no' && (dns.forwarders.length || dns.hosts.length || dns.srvs.length || dns.txts.length))
    throw netXmlError(`Extra data in disabled network '${networkName}'`);
  return dns;
}
