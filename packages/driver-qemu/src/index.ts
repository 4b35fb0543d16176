/**
 * virtkit's QEMU driver (`qemu:///system`, `qemu:///session`, `qemu:///embed?root=DIR`) and the
 * pieces it is built from: command line builder, capability probe, QMP client, process runtime.
 */
import { driver } from './driver';

export { driver } from './driver';
export { QemuConnection } from './connection';
export {
  connectionExtensions,
  driverExtensions,
  type ConnectionScope,
  type QemuConnectionExtension,
  type QemuDriverExtension,
} from './connection-extensions';
export { QemuDriver, type QemuDriverHooks } from './qemu-driver';
export { LoadReport, type LoadProblem } from './state/state-dir';
export { QemuDomainObj } from './domains/obj';
export { DomainList, type DomainListExtras } from './domains/list';
export { DomainJobs, type DomainAsyncJobKind, type DomainJobKind, type JobInfo } from './jobs';
export { QmpClient, type QmpEvent } from './qmp/client';
export type { HostLookups } from './host/build-context';
export { buildCommandLine, formatArgs, shellQuote } from './command';
export type { QemuBuildContext, QemuCommand, QemuDriverConfig } from './command';
export { nativeConversionContext } from './command/native-context';
export { QEMU_CONF_DEFAULTS } from './command/conf-defaults';
export { qemuArgvParseHooks } from './command/parse';
export { qemuParseHooks } from './domain-postparse';
export { domainXmlToQemuArgv } from './command/native';
export type { QemuCaps, QemuMachineType, QemuCpuModel, QemuAccel } from './caps/types';
export { parseQemuCapsXml } from './caps/libvirt-xml';
export { BlockJobs } from './blockjob';
export { QemuSnapshots } from './snapshot/snapshots';
export { snapshotSpi } from './snapshot/spi';
export { parseStored } from './domains/parse';
export { pathsForUri, type QemuPaths } from './paths';
export { statusPath } from './process/status';
export { pidAlive } from './fsutil';
export { keycodeFromName, translateKeycode, KEYCODE_SET_NAMES } from './keys/keymap';
export default driver;
export { qemuDriverTable } from './table';
