/**
 * The hand-written part of `Connect`: connection state, the checks every call makes before it
 * reaches a driver, closing, and event registration (domains, networks, storage pools, node
 * devices, secrets). The generated `Connect` class adds
 * one method per call on top of this.
 */
import { flagDenied, readOnlyDenied } from './access-errors';
import type { DomainEvent, DriverObjectEvents, NetworkEvent, NodeDeviceEvent, SecretEvent, StoragePoolEvent } from './driver-base';
import { ErrorDomain, ErrorNumber, VirError } from './errors';
import type { Domain } from './generated/api.gen';
import { CALLS, type CallInfo } from './generated/calls.gen';
import type { ConnectGetAllDomainStatsFlags } from './generated/enums.gen';
import type { DomainStatsRecord } from './generated/records.gen';
import { checkFlags } from './flags';
import type { DriverConnection } from './generated/spi.gen';
import { ObjectEventRegistrations, type ObjectEventKind } from './object-event-registrations';
import type { DomainRef, NetworkRef, NodeDeviceRef, SecretRef, StoragePoolRef } from './refs';

/** A domain event as the public API delivers it. */
export type DomainEventCallback<C, D> = (conn: C, dom: D, event: DomainEvent) => void;

/** A network, storage pool, node device or secret event as the public API delivers it. */
export type ObjectEventCallback<C, H, E> = (conn: C, obj: H, event: E) => void;

/** A network event as the public API delivers it. */
export type NetworkEventCallback<C, N> = ObjectEventCallback<C, N, NetworkEvent>;

// VIR_<KIND>_EVENT_ID_LAST of libvirt 9.0, and what a handle filter compares
const NETWORK_EVENTS: ObjectEventKind<NetworkEvent, NetworkRef> = {
  register: 'virConnectNetworkEventRegisterAny',
  deregister: 'virConnectNetworkEventDeregisterAny',
  idLast: 1,
  object: (ev) => ev.net,
  identity: (ref) => ref.uuid,
};
const STORAGE_POOL_EVENTS: ObjectEventKind<StoragePoolEvent, StoragePoolRef> = {
  register: 'virConnectStoragePoolEventRegisterAny',
  deregister: 'virConnectStoragePoolEventDeregisterAny',
  idLast: 2,
  object: (ev) => ev.pool,
  identity: (ref) => ref.uuid,
};
const NODE_DEVICE_EVENTS: ObjectEventKind<NodeDeviceEvent, NodeDeviceRef> = {
  register: 'virConnectNodeDeviceEventRegisterAny',
  deregister: 'virConnectNodeDeviceEventDeregisterAny',
  idLast: 2,
  object: (ev) => ev.dev,
  identity: (ref) => ref.name,
};
const SECRET_EVENTS: ObjectEventKind<SecretEvent, SecretRef> = {
  register: 'virConnectSecretEventRegisterAny',
  deregister: 'virConnectSecretEventDeregisterAny',
  idLast: 2,
  object: (ev) => ev.secret,
  identity: (ref) => ref.uuid,
};

interface Registration {
  eventId: number;
  /** Only events of this domain (by UUID), or all when null. */
  domainUuid: string | null;
  callback: (event: DomainEvent) => void;
}

export abstract class ConnectBase {
  private closed = false;
  private readonly registrations = new Map<number, Registration>();
  private nextCallbackId = 0;
  private unsubscribe: (() => void) | null = null;
  private readonly networkEvents = new ObjectEventRegistrations(NETWORK_EVENTS);
  private readonly storagePoolEvents = new ObjectEventRegistrations(STORAGE_POOL_EVENTS);
  private readonly nodeDeviceEvents = new ObjectEventRegistrations(NODE_DEVICE_EVENTS);
  private readonly secretEvents = new ObjectEventRegistrations(SECRET_EVENTS);

  /** @internal */
  constructor(
    private readonly uri: string,
    private readonly readOnly: boolean,
    /** @internal */ readonly _driver: DriverConnection,
  ) {}

  /** @internal Wraps a domain ref in a fresh public handle. */
  protected abstract _domain(ref: DomainRef): unknown;

  /** @internal Wraps a network ref in a fresh public handle. */
  protected abstract _network(ref: NetworkRef): unknown;

  /** @internal Wraps a storage pool ref in a fresh public handle. */
  protected abstract _storagePool(ref: StoragePoolRef): unknown;

  /** @internal Wraps a node device ref in a fresh public handle. */
  protected abstract _nodeDevice(ref: NodeDeviceRef): unknown;

  /** @internal Wraps a secret ref in a fresh public handle. */
  protected abstract _secret(ref: SecretRef): unknown;

  /**
   * @internal The driver connection for a call, after libvirt's checks: the connection is open,
   * and a write call — or a flag only a read-write connection may pass — is refused on a
   * read-only one.
   */
  _driverFor(call: CallInfo, flags = 0): DriverConnection {
    if (this.closed) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_CONN, ErrorDomain.VIR_FROM_NONE, call.c);
    if (this.readOnly) {
      if (!call.readOnlySafe) throw readOnlyDenied(call.c);
      const denied = call.deniedReadOnlyFlags;
      if (denied && flags & denied.mask) throw flagDenied(call.c, denied.flagNames);
    }
    return this._driver;
  }

  /**
   * Statistics of every domain the filter flags select (virConnectGetAllDomainStats): the
   * driver's bulk call with an empty domain list, as libvirt's remote driver sends it.
   */
  async getAllDomainStats(stats: number, flags: ConnectGetAllDomainStatsFlags | 0 = 0): Promise<DomainStatsRecord[]> {
    const drv = this._driverFor(CALLS.virConnectGetAllDomainStats, flags);
    if (!drv.domainListGetStats) throw VirError.noSupport('virConnectGetAllDomainStats');
    checkFlags(CALLS.virConnectGetAllDomainStats, flags);
    const r = await drv.domainListGetStats([], stats, flags);
    return r.map((x) => ({ ...x, dom: this._domain(x.dom) as Domain }));
  }

  /** The URI this connection was opened with (virConnectGetURI). */
  async getURI(): Promise<string> {
    this.ensureOpen('virConnectGetURI');
    return this.uri;
  }

  /** True when the connection was opened read-only. */
  isReadOnly(): boolean {
    return this.readOnly;
  }

  /** Whether the connection is still usable (virConnectIsAlive). */
  async isAlive(): Promise<boolean> {
    return !this.closed && (this._driver.isAlive?.() ?? true);
  }

  /** Close the connection (virConnectClose). Returns 0, the count of remaining references. */
  async close(): Promise<number> {
    this.ensureOpen('virConnectClose');
    this.closed = true;
    this.unsubscribe?.();
    this.registrations.clear();
    for (const r of [this.networkEvents, this.storagePoolEvents, this.nodeDeviceEvents, this.secretEvents]) r.clear();
    await this._driver.close();
    return 0;
  }

  /**
   * Call `callback` for every event `eventId` (a VIR_DOMAIN_EVENT_ID_* value) of `dom`, or of
   * every domain when `dom` is null (virConnectDomainEventRegisterAny). Returns the callback ID.
   */
  async domainEventRegisterAny<D>(
    dom: { _ref: DomainRef } | null,
    eventId: number,
    callback: DomainEventCallback<this, D>,
  ): Promise<number> {
    this.ensureOpen('virConnectDomainEventRegisterAny');
    const events = this._driver.events;
    if (!events) throw VirError.noSupport('virConnectDomainEventRegisterAny');
    if (!Number.isInteger(eventId) || eventId < 0) throw VirError.invalidArg(`unsupported event ID ${eventId}`);
    this.unsubscribe ??= events.subscribe((ev) => this.dispatch(ev));
    const id = this.nextCallbackId++;
    this.registrations.set(id, {
      eventId,
      domainUuid: dom?._ref.uuid ?? null,
      callback: (ev) => callback(this, this._domain(ev.dom) as D, ev),
    });
    await events.ready?.();
    return id;
  }

  /** Remove a callback registered with domainEventRegisterAny (virConnectDomainEventDeregisterAny). */
  async domainEventDeregisterAny(callbackId: number): Promise<number> {
    this.ensureOpen('virConnectDomainEventDeregisterAny');
    if (!this.registrations.delete(callbackId)) {
      throw VirError.invalidArg(`could not find event callback ${callbackId} for deletion`);
    }
    return 0;
  }

  /**
   * Call `callback` for every event `eventId` (a VIR_NETWORK_EVENT_ID_* value) of `net`, or of
   * every network when `net` is null (virConnectNetworkEventRegisterAny). Returns the callback ID,
   * from the same sequence as domain callbacks.
   */
  async networkEventRegisterAny<H>(
    net: { _ref: NetworkRef } | null,
    eventId: number,
    callback: ObjectEventCallback<this, H, NetworkEvent>,
  ): Promise<number> {
    this.ensureOpen(NETWORK_EVENTS.register);
    return this.registerObjectEvent(this.networkEvents, this._driver.networkEvents, eventId, net?._ref ?? null, (ev, ref) =>
      callback(this, this._network(ref) as H, ev),
    );
  }

  /** Remove a callback registered with networkEventRegisterAny (virConnectNetworkEventDeregisterAny). */
  async networkEventDeregisterAny(callbackId: number): Promise<number> {
    this.ensureOpen(NETWORK_EVENTS.deregister);
    this.networkEvents.deregister(callbackId);
    return 0;
  }

  /**
   * Call `callback` for every event `eventId` (a VIR_STORAGE_POOL_EVENT_ID_* value) of `pool`, or of
   * every storage pool when `pool` is null (virConnectStoragePoolEventRegisterAny). Returns the callback ID,
   * from the same sequence as domain callbacks.
   */
  async storagePoolEventRegisterAny<H>(
    pool: { _ref: StoragePoolRef } | null,
    eventId: number,
    callback: ObjectEventCallback<this, H, StoragePoolEvent>,
  ): Promise<number> {
    this.ensureOpen(STORAGE_POOL_EVENTS.register);
    return this.registerObjectEvent(this.storagePoolEvents, this._driver.storagePoolEvents, eventId, pool?._ref ?? null, (ev, ref) =>
      callback(this, this._storagePool(ref) as H, ev),
    );
  }

  /** Remove a callback registered with storagePoolEventRegisterAny (virConnectStoragePoolEventDeregisterAny). */
  async storagePoolEventDeregisterAny(callbackId: number): Promise<number> {
    this.ensureOpen(STORAGE_POOL_EVENTS.deregister);
    this.storagePoolEvents.deregister(callbackId);
    return 0;
  }

  /**
   * Call `callback` for every event `eventId` (a VIR_NODE_DEVICE_EVENT_ID_* value) of `dev`, or of
   * every node device when `dev` is null (virConnectNodeDeviceEventRegisterAny). Returns the callback ID,
   * from the same sequence as domain callbacks.
   */
  async nodeDeviceEventRegisterAny<H>(
    dev: { _ref: NodeDeviceRef } | null,
    eventId: number,
    callback: ObjectEventCallback<this, H, NodeDeviceEvent>,
  ): Promise<number> {
    this.ensureOpen(NODE_DEVICE_EVENTS.register);
    return this.registerObjectEvent(this.nodeDeviceEvents, this._driver.nodeDeviceEvents, eventId, dev?._ref ?? null, (ev, ref) =>
      callback(this, this._nodeDevice(ref) as H, ev),
    );
  }

  /** Remove a callback registered with nodeDeviceEventRegisterAny (virConnectNodeDeviceEventDeregisterAny). */
  async nodeDeviceEventDeregisterAny(callbackId: number): Promise<number> {
    this.ensureOpen(NODE_DEVICE_EVENTS.deregister);
    this.nodeDeviceEvents.deregister(callbackId);
    return 0;
  }

  /**
   * Call `callback` for every event `eventId` (a VIR_SECRET_EVENT_ID_* value) of `secret`, or of
   * every secret when `secret` is null (virConnectSecretEventRegisterAny). Returns the callback ID,
   * from the same sequence as domain callbacks.
   */
  async secretEventRegisterAny<H>(
    secret: { _ref: SecretRef } | null,
    eventId: number,
    callback: ObjectEventCallback<this, H, SecretEvent>,
  ): Promise<number> {
    this.ensureOpen(SECRET_EVENTS.register);
    return this.registerObjectEvent(this.secretEvents, this._driver.secretEvents, eventId, secret?._ref ?? null, (ev, ref) =>
      callback(this, this._secret(ref) as H, ev),
    );
  }

  /** Remove a callback registered with secretEventRegisterAny (virConnectSecretEventDeregisterAny). */
  async secretEventDeregisterAny(callbackId: number): Promise<number> {
    this.ensureOpen(SECRET_EVENTS.deregister);
    this.secretEvents.deregister(callbackId);
    return 0;
  }

  private async registerObjectEvent<E extends { eventId: number }, R>(
    regs: ObjectEventRegistrations<E, R>,
    feed: DriverObjectEvents<E> | undefined,
    eventId: number,
    only: R | null,
    callback: (event: E, ref: R) => void,
  ): Promise<number> {
    const id = this.nextCallbackId++;
    await regs.register(feed, id, eventId, only, callback);
    return id;
  }
  private dispatch(ev: DomainEvent): void {
    for (const r of [...this.registrations.values()]) {
      if (r.eventId !== ev.eventId) continue;
      if (r.domainUuid !== null && r.domainUuid !== ev.dom.uuid) continue;
      r.callback(ev);
    }
  }

  private ensureOpen(c: string): void {
    if (this.closed) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_CONN, ErrorDomain.VIR_FROM_NONE, c);
  }
}
