/**
 * virtkit's QEMU driver (`qemu:///system`, `qemu:///session`, `qemu:///embed?root=DIR`) and the
 * pieces it is built from: command line builder, capability probe, QMP client, process runtime.
 */
import { driver } from './driver';

export { driver } from './driver';
export { QemuConnection } from './connection';
export {
  connectionExtensions, driverExtensions, type QemuConnectionExtension, type QemuDriverExtension,
} from './connection-extensions';
export { QemuDriver, type QemuDriverHooks } from './qemu-driver';
export { QemuDomainObj } from './domains/obj';
export { DomainList, type DomainListFacts } from './domains/list';
export { DomainJobs, type DomainJobKind, type JobInfo } from './jobs';
export { QmpClient, type QmpEvent } from './qmp/client';
export type { HostLookups } from './host/build-context';
export { buildCommandLine, formatArgs, shellQuote } from './command';
export type { QemuBuildContext, QemuCommand, QemuDriverConfig } from './command';
export { nativeConversionContext } from './command/native-context';
export { domainXmlToQemuArgv } from './command/native';
export type { QemuCaps, QemuMachineType, QemuCpuModel, QemuAccel } from './caps/types';
export { parseQemuCapsXml } from './caps/libvirt-xml';
export default driver;
export { qemuDriverTable } from './table';
