/** The Xen driver: libvirt's libxl driver semantics (`xen:///system`), driving the xl toolstack. */
import { driver } from './driver';

export { driver };
export { xenDriverTable } from './table';
export { xlConfigToDomainXml, domainXmlToXlConfig, x86XenCaps, type XenCaps, type XenGuestCaps } from './xl';
export default driver;
