/** The Xen driver: libvirt's libxl driver semantics, driving the xl toolstack. */
export { xlConfigToDomainXml, domainXmlToXlConfig, x86XenCaps, type XenCaps, type XenGuestCaps } from './xl';
