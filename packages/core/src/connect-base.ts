/**
 * The hand-written part of `Connect`: connection state, the checks every call makes before it
 * reaches a driver, closing, and domain event registration. The generated `Connect` class adds
 * one method per call on top of this.
 */
import { flagDenied, readOnlyDenied } from './access-errors';
import type { DomainEvent, NetworkEvent } from './driver-base';
import { ErrorDomain, ErrorNumber, VirError } from './errors';
import type { Domain } from './generated/api.gen';
import { CALLS, type CallInfo } from './generated/calls.gen';
import type { ConnectGetAllDomainStatsFlags } from './generated/enums.gen';
import type { DomainStatsRecord } from './generated/records.gen';
import { checkFlags } from './flags';
import type { DriverConnection } from './generated/spi.gen';
import type { DomainRef, NetworkRef } from './refs';

/** A domain event as the public API delivers it. */
export type DomainEventCallback<C, D> = (conn: C, dom: D, event: DomainEvent) => void;

/** A network event as the public API delivers it. */
export type NetworkEventCallback<C, N> = (conn: C, net: N, event: NetworkEvent) => void;

/** VIR_NETWORK_EVENT_ID_LAST: the lifecycle event is the only one. */
const NETWORK_EVENT_ID_LAST = 1;

interface NetworkRegistration {
  eventId: number;
  /** Only events of this network (by UUID), or all when null. */
  netUuid: string | null;
  callback: (event: NetworkEvent) => void;
}

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
  private readonly networkRegistrations = new Map<number, NetworkRegistration>();
  private unsubscribeNetwork: (() => void) | null = null;

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
    this.unsubscribeNetwork?.();
    this.networkRegistrations.clear();
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
  async networkEventRegisterAny<N>(
    net: { _ref: NetworkRef } | null,
    eventId: number,
    callback: NetworkEventCallback<this, N>,
  ): Promise<number> {
    this.ensureOpen('virConnectNetworkEventRegisterAny');
    const events = this._driver.networkEvents;
    if (!events) throw VirError.noSupport('virConnectNetworkEventRegisterAny');
    if (!Number.isInteger(eventId) || eventId < 0 || eventId >= NETWORK_EVENT_ID_LAST)
      throw VirError.invalidArg(`eventID in virConnectNetworkEventRegisterAny must be less than ${NETWORK_EVENT_ID_LAST}`);
    this.unsubscribeNetwork ??= events.subscribe((ev) => this.dispatchNetwork(ev));
    const id = this.nextCallbackId++;
    this.networkRegistrations.set(id, {
      eventId,
      netUuid: net?._ref.uuid ?? null,
      callback: (ev) => callback(this, this._network(ev.net) as N, ev),
    });
    await events.ready?.();
    return id;
  }

  /** Remove a callback registered with networkEventRegisterAny (virConnectNetworkEventDeregisterAny). */
  async networkEventDeregisterAny(callbackId: number): Promise<number> {
    this.ensureOpen('virConnectNetworkEventDeregisterAny');
    if (!this.networkRegistrations.delete(callbackId)) {
      throw VirError.invalidArg(`could not find event callback ${callbackId} for deletion`);
    }
    return 0;
  }

  private dispatchNetwork(ev: NetworkEvent): void {
    for (const r of [...this.networkRegistrations.values()]) {
      if (r.eventId !== ev.eventId) continue;
      if (r.netUuid !== null && r.netUuid !== ev.net.uuid) continue;
      r.callback(ev);
    }
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
