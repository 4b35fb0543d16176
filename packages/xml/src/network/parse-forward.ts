/** `<forward>` with its `<nat>`, `<interface>`, `<address>` and `<pf>` (virNetworkForwardDefParseXML). */
import { ErrorNumber } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { propYesNo } from '../props';
import { parseULL } from '../scaled';
import { parseAddress } from '../domain/address';
import { netError, netXmlError } from './errors';
import { rangeSize, tryParseIp } from './socket-addr';
import { FORWARD_MODES, type ForwardIf, type ForwardMode, type NetworkForward } from './types';

function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const v = parseULL(text);
  return v !== undefined && v <= 0xffffffffn ? Number(v) : undefined;
}

/** virNetworkForwardNatDefParseXML. */
function parseNat(networkName: string, el: XmlElement, fwd: NetworkForward): void {
  if (fwd.mode !== 'nat') throw netXmlError(`The <nat> element can only be used when <forward> 'mode' is 'nat' in network ${networkName}`);
  fwd.natIPv6 = propYesNo(el, 'ipv6');
  const addrs = el.elements('address');
  if (addrs.length > 1) throw netXmlError(`Only one <address> element is allowed in <nat> in <forward> in network ${networkName}`);
  let startText: string | undefined;
  let endText: string | undefined;
  if (addrs.length === 1) {
    startText = addrs[0].attr('start');
    if (startText === undefined)
      throw netXmlError(`missing 'start' attribute in <address> element in <nat> in <forward> in network ${networkName}`);
    endText = addrs[0].attr('end');
    if (endText === undefined)
      throw netXmlError(`missing 'end' attribute in <address> element in <nat> in <forward> in network ${networkName}`);
    fwd.natAddrStart = tryParseIp(startText, 4);
    if (!fwd.natAddrStart) throw netXmlError(`Bad ipv4 start address '${startText}' in <nat> in <forward> in network '${networkName}'`);
    fwd.natAddrEnd = tryParseIp(endText, 4);
    if (!fwd.natAddrEnd) throw netXmlError(`Bad ipv4 end address '${endText}' in <nat> in <forward> in network '${networkName}'`);
    rangeSize(fwd.natAddrStart, fwd.natAddrEnd);
  }
  const ports = el.elements('port');
  if (ports.length > 1) throw netXmlError(`Only one <port> element is allowed in <nat> in <forward> in network ${networkName}`);
  if (ports.length === 1) {
    const start = portNumber(ports[0].attr('start'));
    if (start === undefined || start > 65535)
      throw netError(
        ErrorNumber.VIR_ERR_XML_DETAIL,
        `Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network ${networkName}`,
      );
    const end = portNumber(ports[0].attr('end'));
    if (end === undefined || end > 65535 || end < start)
      throw netError(
        ErrorNumber.VIR_ERR_XML_DETAIL,
        `Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network ${networkName}`,
      );
    fwd.natPortStart = start;
    fwd.natPortEnd = end;
  }
}

function parseInterfaces(networkName: string, els: XmlElement[], forwardDev: string | undefined): ForwardIf[] {
  const ifs: ForwardIf[] = forwardDev ? [{ type: 'netdev', dev: forwardDev, connections: 0 }] : [];
  els.forEach((el, i) => {
    const dev = el.attr('dev');
    if (!dev) throw netXmlError(`Missing required dev attribute in <forward> <interface> element of network ${networkName}`);
    if (i === 0 && forwardDev) {
      if (dev !== forwardDev)
        throw netXmlError(`<forward dev='${forwardDev}'> must match first <interface dev='${dev}'/> in network ${networkName}`);
      return;
    }
    if (ifs.some((f) => f.type === 'netdev' && f.dev === dev))
      throw netXmlError(`interface '${dev}' can only be listed once in network ${networkName}`);
    ifs.push({ type: 'netdev', dev, connections: 0 });
  });
  return ifs;
}

function parsePciAddresses(networkName: string, els: XmlElement[]): ForwardIf[] {
  const ifs: ForwardIf[] = [];
  for (const el of els) {
    const type = el.attr('type');
    if (!type) throw netXmlError(`missing address type in network ${networkName}`);
    if (!['none', 'pci', 'netdev'].includes(type))
      throw netError(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `unknown address type '${type}' in network ${networkName}`);
    if (type !== 'pci') throw netXmlError(`unsupported address type '${type}' in network ${networkName}`);
    const a = parseAddress(el);
    if (a.type !== 'pci') continue;
    const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
    if (ifs.some((f) => f.type === 'pci' && f.domain === a.domain && f.bus === a.bus && f.slot === a.slot && f.function === a.function))
      throw netXmlError(
        `PCI device '${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${a.function.toString(16)}' can only be listed once in network ${networkName}`,
      );
    ifs.push({ type: 'pci', domain: a.domain, bus: a.bus, slot: a.slot, function: a.function, connections: 0 });
  }
  return ifs;
}

/** virNetworkForwardDefParseXML. */
export function parseForward(networkName: string, el: XmlElement): NetworkForward {
  const modeText = el.attr('mode') || undefined;
  if (modeText !== undefined && !(FORWARD_MODES as readonly string[]).includes(modeText))
    throw netError(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `unknown forwarding type '${modeText}'`);
  const fwd: NetworkForward = {
    mode: (modeText ?? 'nat') as ForwardMode,
    managed: el.attr('managed')?.toLowerCase() === 'yes',
    ifs: [],
    pfs: [],
    natPortStart: 0,
    natPortEnd: 0,
  };
  const driver = el.element('driver')?.attr('name') || undefined;
  if (driver !== undefined) {
    if (driver !== 'kvm' && driver !== 'vfio')
      throw netError(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `Unknown forward <driver name='${driver}'/> in network ${networkName}`);
    fwd.driverName = driver;
  }
  const ifEls = el.elements('interface');
  const addrEls = el.elements('address');
  const pfEls = el.elements('pf');
  const nats = el.elements('nat');
  if (nats.length > 1) throw netXmlError(`Only one <nat> element is allowed in <forward> of network ${networkName}`);
  if (nats.length === 1) parseNat(networkName, nats[0], fwd);
  const dev = el.attr('dev') || undefined;
  if (dev && (addrEls.length || pfEls.length))
    throw netXmlError(`the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network %s`);
  if (ifEls.length || dev) fwd.ifs = parseInterfaces(networkName, ifEls, dev);
  else if (addrEls.length) fwd.ifs = parsePciAddresses(networkName, addrEls);
  else if (pfEls.length > 1) throw netXmlError(`Only one <pf> element is allowed in <forward> of network ${networkName}`);
  else if (pfEls.length === 1) {
    const pf = pfEls[0].attr('dev');
    if (!pf) throw netXmlError(`Missing required dev attribute in <pf> element of network '${networkName}'`);
    fwd.pfs = [pf];
  }
  return fwd;
}
