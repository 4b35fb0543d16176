/** Conversions between libvirt domain XML and xl.cfg (virsh domxml-from-native / -to-native xen-xl). */
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import type { XenCaps } from './caps';
import { parseConf } from './conf';
import { xenDomainFromXl } from './from-cfg';
import { xenDomainFromXml } from './from-xml';
import { xenDomainToXml } from './to-xml';
import { xenDomainToXl } from './to-cfg';

export { x86XenCaps, type XenCaps, type XenGuestCaps } from './caps';

/** xl.cfg text → domain XML, formatted inactive and secure as domxml-from-native does. */
export function xlConfigToDomainXml(cfg: string, caps: XenCaps): string {
  const xml = xenDomainToXml(xenDomainFromXl(parseConf(cfg), caps));
  return formatDomainXml(parseDomainXml(xml, { inactive: true }), { inactive: true, secure: true });
}

/** Domain XML → xl.cfg text, as domxml-to-native xen-xl writes it. */
export function domainXmlToXlConfig(xml: string): string {
  return xenDomainToXl(xenDomainFromXml(xml)).write();
}
