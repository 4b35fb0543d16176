/** libvirt's virtual network XML (network_conf.c) and the dnsmasq configuration it drives. */
export * from './types';
export { parseNetworkXml, parseNetworkElement, parsePortGroup, DNSMASQ_NAMESPACE, type NetworkParseOptions } from './parse';
export { formatNetworkXml, type NetworkFormatOptions } from './format';
export { formatIp, parseIp, tryParseIp, ipPrefix, prefixToNetmask, rangeSize, type IpAddr } from './socket-addr';
export {
  networkDnsmasqConfContents,
  networkNeedsDnsmasq,
  dnsmasqContext,
  dnsmasqDhcpHosts,
  dnsmasqAddnHosts,
  parseDnsmasqVersion,
  DNSMASQ_MIN_VERSION,
  type DnsmasqContext,
  type DnsmasqFiles,
  type DnsmasqConfOptions,
} from './dnsmasq';
export { updateNetworkSection } from './update';
export { parseNetworkPortXml, formatNetworkPortXml, type NetworkPortDef, type NetworkPortPlug, type PciAddr } from './port';
