/**
 * The state of one test driver instance: node description, domains, networks, storage pools and
 * the event feed. `test:///default` connections of a process share one instance while any of
 * them is open; every file-based open gets its own.
 */
import {
  DomainEventID,
  ErrorNumber,
  NetworkEventID,
  NodeDeviceEventID,
  StoragePoolEventID,
  EventHub,
  type DomainEvent,
  type DomainRef,
  type NetworkEvent,
  type NodeDeviceEvent,
  type StoragePoolEvent,
  type StoragePoolRef,
  type NodeInfo,
} from '@virtkit/core';
import { DomainObj } from './domain-obj';
import { err } from './errors';
import { DEFAULT_NODE_INFO } from './constants';
import type { PoolObj } from './storage';
import type { NetworkObj } from './networks';
import type { InterfaceObj } from './interfaces';
import type { NodeDeviceDef } from '@virtkit/xml';

export interface TestCell {
  /** KiB. */
  mem: number;
  freeMem: number;
  cpus: Array<{ id: number; socketId: number; coreId: number; siblings: string }>;
}

export class TestState {
  nodeInfo: NodeInfo = { ...DEFAULT_NODE_INFO };
  cells: TestCell[] = [];
  /** Domains by UUID, in the order they were added. */
  readonly domains = new Map<string, DomainObj>();
  /** Networks by UUID, in the order they were added. */
  readonly networks = new Map<string, NetworkObj>();
  readonly pools = new Map<string, PoolObj>();
  /** Host interfaces by name. */
  readonly interfaces = new Map<string, InterfaceObj>();
  /** The interfaces as interfaceChangeBegin found them, while a transaction runs. */
  interfaceBackup: Map<string, InterfaceObj> | undefined;
  /** Host devices by name. */
  readonly nodedevs = new Map<string, NodeDeviceDef>();
  nextDomId = 1;
  private readonly events = new EventHub<DomainEvent>();
  private readonly networkEvents = new EventHub<NetworkEvent>();
  readonly storagePoolEvents = new EventHub<StoragePoolEvent>();
  readonly nodeDeviceEvents = new EventHub<NodeDeviceEvent>();

  subscribe(listener: (e: DomainEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** Queue a lifecycle event for `dom` as it is now (virDomainEventLifecycleNewFromObj). */
  emitLifecycle(dom: DomainObj, event: number, detail: number): void {
    this.emit({ eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom: dom.ref(), event, detail });
  }

  /** Queue any domain event. */
  emit(e: DomainEvent): void {
    this.events.emit(e);
  }

  subscribeNetwork(listener: (e: NetworkEvent) => void): () => void {
    return this.networkEvents.subscribe(listener);
  }

  /** Queue a network lifecycle event (virNetworkEventLifecycleNew; the detail is always 0). */
  emitNetworkLifecycle(net: { name: string; uuid: string }, event: number): void {
    this.networkEvents.emit({
      eventId: NetworkEventID.VIR_NETWORK_EVENT_ID_LIFECYCLE,
      net: { name: net.name, uuid: net.uuid },
      event,
      detail: 0,
    });
  }

  /** Queue a storage pool lifecycle event (virStoragePoolEventLifecycleNew; the detail is always 0). */
  emitPoolLifecycle(pool: StoragePoolRef, event: number): void {
    const ref = { name: pool.name, uuid: pool.uuid };
    this.storagePoolEvents.emit({ eventId: StoragePoolEventID.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, pool: ref, event, detail: 0 });
  }

  /** Queue a storage pool refresh event (virStoragePoolEventRefreshNew). */
  emitPoolRefresh(pool: StoragePoolRef): void {
    this.storagePoolEvents.emit({
      eventId: StoragePoolEventID.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
      pool: { name: pool.name, uuid: pool.uuid },
    });
  }

  /** Queue a node device lifecycle event (virNodeDeviceEventLifecycleNew; the detail is always 0). */
  emitNodeDeviceLifecycle(name: string, event: number): void {
    this.nodeDeviceEvents.emit({ eventId: NodeDeviceEventID.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE, dev: { name }, event, detail: 0 });
  }

  /** testDomObjFromDomain: the domain behind a handle, by UUID. */
  domObj(ref: DomainRef): DomainObj {
    const d = this.domains.get(ref.uuid);
    if (!d) throw err(ErrorNumber.VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    return d;
  }

  findByName(name: string): DomainObj | undefined {
    for (const d of this.domains.values()) if (d.name === name) return d;
    return undefined;
  }

  findById(id: number): DomainObj | undefined {
    if (id < 0) return undefined;
    for (const d of this.domains.values()) if (d.id === id) return d;
    return undefined;
  }

  removeDomain(dom: DomainObj): void {
    this.domains.delete(dom.uuid);
  }
}
