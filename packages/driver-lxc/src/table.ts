/**
 * The SPI methods the LXC driver implements, with the virtkit version each appeared in: its
 * static driver table (libvirt's lxcHypervisorDriver), read by the generator for
 * docs/support-matrix.md. `test/table.test.ts` checks that its connections have exactly these methods.
 */
import type { DriverTable } from '@virtkit/core';

export const lxcDriverTable = {
  connectDomainXMLFromNative: '0.2.0',
  connectGetCapabilities: '0.2.0',
  connectGetHostname: '0.2.0',
  connectGetType: '0.2.0',
  connectGetVersion: '0.2.0',
  connectIsSecure: '0.2.0',
  connectListAllDomains: '0.2.0',
  connectListDefinedDomains: '0.2.0',
  connectListDomains: '0.2.0',
  connectNumOfDefinedDomains: '0.2.0',
  connectNumOfDomains: '0.2.0',
  domainCreate: '0.2.0',
  domainCreateWithFlags: '0.2.0',
  domainCreateXML: '0.2.0',
  domainDefineXML: '0.2.0',
  domainDefineXMLFlags: '0.2.0',
  domainDestroy: '0.2.0',
  domainDestroyFlags: '0.2.0',
  domainGetAutostart: '0.2.0',
  domainGetInfo: '0.2.0',
  domainGetMaxMemory: '0.2.0',
  domainGetOSType: '0.2.0',
  domainGetState: '0.2.0',
  domainGetXMLDesc: '0.2.0',
  domainHasManagedSaveImage: '0.2.0',
  domainIsActive: '0.2.0',
  domainIsPersistent: '0.2.0',
  domainLookupByID: '0.2.0',
  domainLookupByName: '0.2.0',
  domainListGetStats: '0.2.0',
  domainLookupByUUIDString: '0.2.0',
  domainOpenConsole: '0.2.0',
  domainReboot: '0.2.0',
  domainResume: '0.2.0',
  domainSetAutostart: '0.2.0',
  domainShutdown: '0.2.0',
  domainShutdownFlags: '0.2.0',
  domainSuspend: '0.2.0',
  domainUndefine: '0.2.0',
  domainUndefineFlags: '0.2.0',
} as const satisfies DriverTable;
