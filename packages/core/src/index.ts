/**
 * virtkit core: open connections by URI, the public API classes, errors, XML models and the
 * driver SPI that driver packages implement.
 */
export * from './generated/api.gen';
export * from './generated/enums.gen';
export type * from './generated/records.gen';
export { CALLS, type CallInfo, type CallName } from './generated/calls.gen';
export type { DriverConnection } from './generated/spi.gen';
export type { DriverTable, SpiMethod } from './driver-table';
export type { Driver, DriverConnectionBase, DriverEvents, DomainEvent, OpenOptions } from './driver-base';
export type { DomainEventCallback } from './connect-base';
export type { DomainRef, DomainSnapshotRef, DomainCheckpointRef, StoragePoolRef, StorageVolRef, NetworkRef } from './refs';
export type { TypedParams, TypedParamValue } from './typed-params';
export { wideToNumber, type Wide } from './wide';
export { VirStream } from './stream';
export {
  VirError, type VirErrorFields, ErrorNumber, ErrorDomain, ErrorLevel,
  isNotFound, isNoSupport, isInvalidArg, isOperationInvalid, isAccessDenied,
} from './errors';
export { open, openReadOnly, defaultUri, type OpenFlags } from './open';
export { LIBVIRT_COMPAT_VERSION } from './version';
export { createRemoteDriver, remoteDriver, type RemoteOptions, type KeepaliveSettings, type RemoteTarget, type TransportKind } from './remote';
export { registerDriver, registeredDrivers, loadDriverPlugin, resetRegistry } from './registry';
export { parseUri, isRemoteUri, type ParsedUri } from './uri';
export { checkFlags } from './flags';
export { parseUuid, newUuid } from './uuid';
export * from './xml/domain';
export {
  readCases, readOptional, resultFromComparison, runCase, compareExpected, type CaseResult, type CaseRow,
} from './corpus/common';
export { registerCorpusKind } from './corpus/index';
export * from './xml/snapshot';
export * from './xml/checkpoint';
export * from './xml/backup';
export * from './xml/storage';
export * from './xml/capabilities';
export { parseXml, XmlElement, XML_MAX_BYTES, type XmlNode, type XmlText } from './xml/tree';
export { XmlWriter, escapeXml, type Attrs } from './xml/writer';
export * from './moment';
export { setEmbeddedDomainCodec, PreservedDomain, type MomentDef, type EmbeddedDomain, type EmbeddedDomainCodec } from './xml/moment';
export { newDiskSource } from './xml/storage-source';
export { parseScaledElement, scaleInteger, unitScale } from './xml/scaled';
