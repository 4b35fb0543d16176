/** The LXC driver: libvirt's LXC driver semantics (`lxc:///`), containers run by a controller process per domain. */
export { lxcCapabilities, lxcCapabilitiesXml, type LxcHost } from './host/capabilities';
export { parseLxcDomain } from './domains/xml';
export { lxcConfigToDomain } from './native';
