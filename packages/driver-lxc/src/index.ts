/** The LXC driver: libvirt's LXC driver semantics (`lxc:///`), containers run by a controller process per domain. */
import { driver } from './driver';

export { driver };
export { lxcDriverTable } from './table';
export { lxcCapabilities, lxcCapabilitiesXml, type LxcHost } from './host/capabilities';
export { parseLxcDomain } from './domains/xml';
export { lxcConfigToDomain } from './native';
export default driver;
