/**
 * The events of one kind of object (networks, storage pools, node devices, secrets) on a remote
 * connection, as the `DriverObjectEvents` feed of core: the first subscriber registers every event
 * ID of the kind for every object on the server (CONNECT_<KIND>_EVENT_REGISTER_ANY), and the
 * messages carrying those callback IDs reach the listeners, their fields named as on the wire.
 * After a reconnect `registerAll` runs again.
 */
import type { DriverObjectEvents } from '@virtkit/core';
import { CORE_LAYOUTS, MESSAGE_LAYOUTS, REMOTE_PROC, decodeStruct } from '@virtkit/protocol';
import type { RemoteCall } from './events';

/** The procedures of one kind of object events. */
export interface RemoteObjectEventKind {
  /** CONNECT_<KIND>_EVENT_REGISTER_ANY and CONNECT_<KIND>_EVENT_DEREGISTER_ANY. */
  procs: readonly [register: number, deregister: number];
  /** The handle argument of the registration: `net`, `pool`, `dev`, `secret`. */
  field: string;
  /** The message procedure of each event ID. */
  messages: readonly number[];
}

export const NETWORK_EVENTS: RemoteObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_NETWORK_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_NETWORK_EVENT_DEREGISTER_ANY],
  field: 'net',
  messages: [REMOTE_PROC.NETWORK_EVENT_LIFECYCLE],
};

export const STORAGE_POOL_EVENTS: RemoteObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY],
  field: 'pool',
  messages: [REMOTE_PROC.STORAGE_POOL_EVENT_LIFECYCLE, REMOTE_PROC.STORAGE_POOL_EVENT_REFRESH],
};

export const NODE_DEVICE_EVENTS: RemoteObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY],
  field: 'dev',
  messages: [REMOTE_PROC.NODE_DEVICE_EVENT_LIFECYCLE, REMOTE_PROC.NODE_DEVICE_EVENT_UPDATE],
};

export const SECRET_EVENTS: RemoteObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_SECRET_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_SECRET_EVENT_DEREGISTER_ANY],
  field: 'secret',
  messages: [REMOTE_PROC.SECRET_EVENT_LIFECYCLE, REMOTE_PROC.SECRET_EVENT_VALUE_CHANGED],
};

export class RemoteObjectEvents<E extends { eventId: number }> implements DriverObjectEvents<E> {
  private readonly listeners = new Set<(e: E) => void>();
  /** The server's callback IDs of the current registrations, to their event IDs. */
  private readonly callbackIds = new Map<number, number>();
  private registered: Promise<void> | null = null;

  constructor(
    private readonly kind: RemoteObjectEventKind,
    private readonly call: RemoteCall,
    private readonly onRegistering: (p: Promise<void>) => void,
  ) {}

  get active(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    if (!this.registered) {
      this.registered = this.registerAll();
      this.onRegistering(this.registered);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.deregister();
    };
  }

  async ready(): Promise<void> {
    await this.registered;
  }

  /** Register each event ID on the current transport; one the server refuses never arrives. */
  async registerAll(): Promise<void> {
    this.callbackIds.clear();
    const layout = CORE_LAYOUTS[this.kind.procs[0]];
    for (let eventID = 0; eventID < this.kind.messages.length; eventID++) {
      try {
        const r = await this.call(this.kind.procs[0], layout.args, { eventID, [this.kind.field]: null }, layout.ret);
        this.callbackIds.set(r.callbackID as number, eventID);
      } catch {
        // no such events from this server
      }
    }
  }

  private deregister(): void {
    const ids = [...this.callbackIds.keys()];
    this.callbackIds.clear();
    this.registered = null;
    const layout = CORE_LAYOUTS[this.kind.procs[1]];
    for (const callbackID of ids) this.call(this.kind.procs[1], layout.args, { callbackID }, layout.ret).catch(() => undefined);
  }

  /** One of the kind's messages; anything else, or a payload that does not decode, is dropped. */
  deliver(proc: number, payload: Buffer): void {
    if (!this.kind.messages.includes(proc)) return;
    let fields: Record<string, unknown>;
    try {
      fields = decodeStruct(MESSAGE_LAYOUTS[proc], payload, 0, false);
    } catch {
      return;
    }
    const { callbackID, ...rest } = fields;
    const eventId = this.callbackIds.get(callbackID as number);
    if (eventId === undefined || this.kind.messages[eventId] !== proc) return;
    const event = { ...rest, eventId } as unknown as E;
    for (const l of [...this.listeners]) l(event);
  }
}
