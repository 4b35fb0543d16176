/** The remote driver: libvirt's RPC protocol as a client, over unix, tcp, tls and ssh. */
export { createRemoteDriver, remoteDriver } from './driver';
export type { RemoteOptions } from './connection';
export type { KeepaliveSettings } from './rpc-client';
export { remoteTarget, type RemoteTarget, type TransportKind } from './target';
export { remoteDriver as driver } from './driver';
