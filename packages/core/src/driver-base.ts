/**
 * The hand-written half of the driver SPI: what every driver provides besides the generated
 * per-call methods of `DriverConnection` (open, close, events).
 */
import type { DriverConnection } from './generated/spi.gen';
import type { DomainRef, NetworkRef } from './refs';
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

/** Where a driver connection publishes its network events. */
export interface DriverNetworkEvents {
  /** Subscribe; the returned function unsubscribes. */
  subscribe(listener: (event: NetworkEvent) => void): () => void;
  /** Settles once events of the subscriptions made so far are delivered. */
  ready?(): Promise<void>;
}

export interface DriverConnectionBase {
  /** Release everything the connection holds. Called once, by `Connect.close()`. */
  close(): Promise<void>;
  /** The driver's domain event feed, when it has one. */
  readonly events?: DriverEvents;
  /** The driver's network event feed, when it has one. */
  readonly networkEvents?: DriverNetworkEvents;
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
