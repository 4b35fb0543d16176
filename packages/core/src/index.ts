/**
 * virtkit core: open connections by URI, the driver registry, errors, the generated public API
 * classes and the driver SPI that driver packages implement. XML models are `@virtkit/xml`, the
 * wire protocol `@virtkit/protocol`, the remote driver `@virtkit/remote`.
 */
export * from './generated/api.gen';
export * from './generated/enums.gen';
export type * from './generated/records.gen';
export { CALLS, type CallInfo, type CallName } from './generated/calls.gen';
export type { DriverConnection } from './generated/spi.gen';
export type { DriverTable, SpiMethod, TableConnection } from './driver-table';
export type {
  Driver,
  DriverConnectionBase,
  DriverEvents,
  DriverNetworkEvents,
  DriverObjectEvents,
  DomainEvent,
  NetworkEvent,
  NodeDeviceEvent,
  ObjectEvent,
  SecretEvent,
  StoragePoolEvent,
  OpenOptions,
} from './driver-base';
export type { DomainEventCallback, ObjectEventCallback } from './connect-base';
export type {
  DomainRef,
  DomainSnapshotRef,
  DomainCheckpointRef,
  StoragePoolRef,
  StorageVolRef,
  NetworkRef,
  NetworkPortRef,
  InterfaceRef,
  SecretRef,
  NodeDeviceRef,
} from './refs';
export {
  typedParams,
  typedParamType,
  typedParamList,
  typedParamStrings,
  type TypedParam,
  type TypedParams,
  type TypedParamScalar,
  type TypedParamValue,
} from './typed-params';
export { wideToNumber, type Wide } from './wide';
export { VirStream } from './stream';
export { ChrdevSessions, type ChrdevOpenOptions } from './chrdev-sessions';
export { writeWithFd, type FdPlacement } from './fd-send';
export { holdSocketFd, releaseFd } from './held-fds';
export {
  VirError,
  type VirErrorFields,
  ErrorNumber,
  ErrorDomain,
  ErrorLevel,
  templatedError,
  isVirError,
  isNotFound,
  isNoSupport,
  isInvalidArg,
  isOperationInvalid,
  isAccessDenied,
} from './errors';
export { open, openReadOnly, defaultUri, type OpenFlags } from './open';
export { LIBVIRT_COMPAT_VERSION, VERSION, API_VERSION } from './version';
export { registerDriver, registeredDrivers, loadDriverPlugin, resetRegistry, driverForScheme } from './registry';
export { readOnlyDenied, flagDenied } from './access-errors';
export { runProcess, type BrokenPipePolicy, type ProcessExitOptions } from './process-exit';
export { parseUri, isRemoteUri, type ParsedUri } from './uri';
export { checkFlags } from './flags';
export {
  checkDriverFlags,
  domainListMatches,
  modificationImpact,
  NODE_DEVICE_CAP_FILTERS,
  nodeDeviceCapBits,
  oneDefIsLive,
  validateTypedParams,
  type DomainListFacts,
  type DomainPresence,
  type ModificationImpact,
} from './driver-checks';
export { readFilesOf, writeFileAtomic } from './state-files';
export { EventHub, SerialQueue } from './driver-state';
export { parseUuid, newUuid } from './uuid';
export { migrateParams } from './migrate-params';
