/**
 * The hand-written half of the driver SPI: what every driver provides besides the generated
 * per-call methods of `DriverConnection` (open, close, events).
 */
import type { DriverConnection } from './generated/spi.gen';
import type { DomainRef, NetworkRef, NodeDeviceRef, SecretRef, StoragePoolRef } from './refs';
import type { ParsedUri } from './uri';

/** A domain event as a driver publishes it: the event ID, the domain, and the payload fields. */
export interface DomainEvent {
  /** A VIR_DOMAIN_EVENT_ID_* value. */
  eventId: number;
  dom: DomainRef;
  /** Payload fields with libvirt's wire names, e.g. `event`/`detail`, or `dst`/`type`/`status`. */
  [field: string]: unknown;
}

/** Where a driver connection publishes its domain events. */
export interface DriverEvents {
  /** Subscribe; the returned function unsubscribes. */
  subscribe(listener: (event: DomainEvent) => void): () => void;
  /** Settles once events of the subscriptions made so far are delivered (a remote feed registers on its server first). */
  ready?(): Promise<void>;
}

/** A network event as a driver publishes it (virNetworkEventLifecycle: `event`, `detail`). */
export interface NetworkEvent {
  /** A VIR_NETWORK_EVENT_ID_* value. */
  eventId: number;
  net: NetworkRef;
  /** A VIR_NETWORK_EVENT_* value. */
  event: number;
  detail: number;
}

/**
 * An event of a storage pool, node device or secret as a driver publishes it: the event ID, the
 * object under libvirt's wire name for it (`K`), and for lifecycle events the `event`/`detail`
 * pair. The names are the wire message's, so the daemon and the remote driver pass events through
 * without knowing their kind.
 */
export type ObjectEvent<K extends string, R> = {
  /** A VIR_<KIND>_EVENT_ID_* value. */
  eventId: number;
  /** A VIR_<KIND>_EVENT_* value (lifecycle events only). */
  event?: number;
  /** The lifecycle event's detail (always 0 in libvirt 9.0). */
  detail?: number;
} & { [P in K]: R };

/** A storage pool event (virStoragePoolEventLifecycle, virStoragePoolEventRefresh). */
export type StoragePoolEvent = ObjectEvent<'pool', StoragePoolRef>;

/** A node device event (virNodeDeviceEventLifecycle, virNodeDeviceEventUpdate). */
export type NodeDeviceEvent = ObjectEvent<'dev', NodeDeviceRef>;

/** A secret event (virSecretEventLifecycle, virSecretEventValueChanged). */
export type SecretEvent = ObjectEvent<'secret', SecretRef>;

/** Where a driver connection publishes the events of one kind of object. */
export interface DriverObjectEvents<E> {
  /** Subscribe; the returned function unsubscribes. */
  subscribe(listener: (event: E) => void): () => void;
  /** Settles once events of the subscriptions made so far are delivered. */
  ready?(): Promise<void>;
}

/** Where a driver connection publishes its network events. */
export type DriverNetworkEvents = DriverObjectEvents<NetworkEvent>;

export interface DriverConnectionBase {
  /** Release everything the connection holds. Called once, by `Connect.close()`. */
  close(): Promise<void>;
  /** The driver's domain event feed, when it has one. */
  readonly events?: DriverEvents;
  /** The driver's network event feed, when it has one. */
  readonly networkEvents?: DriverNetworkEvents;
  /** The driver's storage pool event feed, when it has one. */
  readonly storagePoolEvents?: DriverObjectEvents<StoragePoolEvent>;
  /** The driver's node device event feed, when it has one. */
  readonly nodeDeviceEvents?: DriverObjectEvents<NodeDeviceEvent>;
  /** The driver's secret event feed, when it has one. */
  readonly secretEvents?: DriverObjectEvents<SecretEvent>;
  /** False once the connection is known to be unusable (e.g. a remote peer stopped answering). */
  isAlive?(): boolean;
}

export interface OpenOptions {
  readOnly: boolean;
}

/** A hypervisor driver: a plain object, usually the default export of its package. */
export interface Driver {
  /** Short name, as in the support matrix: `test`, `qemu`, `lxc`, `xen`, `remote`, ... */
  readonly name: string;
  /** URI schemes the driver serves, e.g. `['test']`. */
  readonly schemes: readonly string[];
  /** Open a connection, or throw a VirError (e.g. VIR_ERR_NO_CONNECT for a path it does not serve). */
  open(uri: ParsedUri, opts: OpenOptions): Promise<DriverConnection>;
}
