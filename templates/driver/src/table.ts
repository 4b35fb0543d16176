/**
 * The SPI methods this driver implements, each with the version of this package that added it:
 * the driver's static table (libvirt's virHypervisorDriver). `satisfies DriverTable` refuses a
 * name that is not an SPI method; `ToyConnection` is declared against this table, so tsc also
 * refuses a method the table does not name, and a table entry without its method.
 */
import type { DriverTable } from '@virtkit/core';

export const toyDriverTable = {
  connectGetHostname: '0.1.0',
  connectGetType: '0.1.0',
  connectGetVersion: '0.1.0',
  connectListAllDomains: '0.1.0',
  connectListDefinedDomains: '0.1.0',
  connectListDomains: '0.1.0',
  connectNumOfDefinedDomains: '0.1.0',
  connectNumOfDomains: '0.1.0',
  domainCreate: '0.1.0',
  domainCreateWithFlags: '0.1.0',
  domainDestroy: '0.1.0',
  domainGetInfo: '0.1.0',
  domainGetOSType: '0.1.0',
  domainGetState: '0.1.0',
  domainGetXMLDesc: '0.1.0',
  domainIsActive: '0.1.0',
  domainIsPersistent: '0.1.0',
  domainLookupByID: '0.1.0',
  domainLookupByName: '0.1.0',
  domainLookupByUUIDString: '0.1.0',
} as const satisfies DriverTable;
