/**
 * Object event registrations of one client (CONNECT_{NETWORK,STORAGE_POOL,NODE_DEVICE,SECRET}_
 * EVENT_REGISTER_ANY) and the forwarding of the driver's events as their messages. One class
 * serves the four kinds: a kind names its feed, its messages and the handle field the driver's
 * events and the wire messages share. Callback IDs come from the daemon-wide counter the domain
 * events use.
 */
import { ErrorDomain, ErrorNumber, VirError, type DriverConnection, type DriverObjectEvents } from '@virtkit/core';
import { MESSAGE_LAYOUTS, REMOTE_PROC, encodeStruct } from '@virtkit/protocol';
import type { CallbackIds, SendMessage } from './events';
import type { Logger } from './log';

type ObjectEventFeed = DriverObjectEvents<{ eventId: number } & Record<string, unknown>>;

/** What tells one kind of object events from another on the wire. */
export interface WireObjectEventKind {
  /** CONNECT_<KIND>_EVENT_REGISTER_ANY and CONNECT_<KIND>_EVENT_DEREGISTER_ANY. */
  procs: readonly [register: number, deregister: number];
  /** The noun of remote_daemon_dispatch.c's errors: `network`, `storage pool`, ... */
  noun: string;
  /** The noun of its deregistration error (libvirt 9.0 says `node device` for secrets too). */
  deregisterNoun: string;
  /** The driver connection's feed. */
  feed(conn: DriverConnection): ObjectEventFeed | undefined;
  /** The handle field of the registration and of every message: `net`, `pool`, `dev`, `secret`. */
  field: string;
  /** The filter identity of a handle: its UUID, or a node device's name. */
  identity(ref: Record<string, unknown>): unknown;
  /** The message procedure of each event ID (VIR_<KIND>_EVENT_ID_LAST is its length). */
  messages: readonly number[];
}

const byUuid = (ref: Record<string, unknown>): unknown => ref.uuid;

const NETWORK_EVENTS: WireObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_NETWORK_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_NETWORK_EVENT_DEREGISTER_ANY],
  noun: 'network',
  deregisterNoun: 'network',
  feed: (c) => c.networkEvents as ObjectEventFeed | undefined,
  field: 'net',
  identity: byUuid,
  messages: [REMOTE_PROC.NETWORK_EVENT_LIFECYCLE],
};

const STORAGE_POOL_EVENTS: WireObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY],
  noun: 'storage pool',
  deregisterNoun: 'storage pool',
  feed: (c) => c.storagePoolEvents as ObjectEventFeed | undefined,
  field: 'pool',
  identity: byUuid,
  messages: [REMOTE_PROC.STORAGE_POOL_EVENT_LIFECYCLE, REMOTE_PROC.STORAGE_POOL_EVENT_REFRESH],
};

const NODE_DEVICE_EVENTS: WireObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY],
  noun: 'node device',
  deregisterNoun: 'node device',
  feed: (c) => c.nodeDeviceEvents as ObjectEventFeed | undefined,
  field: 'dev',
  identity: (ref) => ref.name,
  messages: [REMOTE_PROC.NODE_DEVICE_EVENT_LIFECYCLE, REMOTE_PROC.NODE_DEVICE_EVENT_UPDATE],
};

const SECRET_EVENTS: WireObjectEventKind = {
  procs: [REMOTE_PROC.CONNECT_SECRET_EVENT_REGISTER_ANY, REMOTE_PROC.CONNECT_SECRET_EVENT_DEREGISTER_ANY],
  noun: 'secret',
  deregisterNoun: 'node device',
  feed: (c) => c.secretEvents as ObjectEventFeed | undefined,
  field: 'secret',
  identity: byUuid,
  messages: [REMOTE_PROC.SECRET_EVENT_LIFECYCLE, REMOTE_PROC.SECRET_EVENT_VALUE_CHANGED],
};

/** The four kinds, as virtkitd serves them. */
export const OBJECT_EVENT_KINDS: readonly WireObjectEventKind[] = [NETWORK_EVENTS, STORAGE_POOL_EVENTS, NODE_DEVICE_EVENTS, SECRET_EVENTS];

interface Registration {
  eventId: number;
  /** Identity filter, or null for every object. */
  only: unknown;
}

const rpcError = (message: string): VirError => VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_RPC, message);

export class ClientObjectEvents {
  private readonly regs = new Map<number, Registration>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly kind: WireObjectEventKind,
    private readonly ids: CallbackIds,
    private readonly send: SendMessage,
    private readonly log: Logger,
    private readonly who: string,
  ) {}

  /** The reply to one of the kind's two procedures, whose arguments are `args`. */
  handle(proc: number, conn: DriverConnection, args: Record<string, unknown>): Record<string, unknown> {
    if (proc !== this.kind.procs[0]) {
      this.deregister(args.callbackID as number);
      return {};
    }
    const ref = args[this.kind.field] as Record<string, unknown> | null;
    return { callbackID: this.register(conn, args.eventID as number, ref) };
  }

  /** CONNECT_<KIND>_EVENT_REGISTER_ANY: `ref` is the handle of the registration, or null. */
  private register(conn: DriverConnection, eventId: number, ref: Record<string, unknown> | null): number {
    if (!Number.isInteger(eventId) || eventId < 0 || eventId >= this.kind.messages.length)
      throw rpcError(`unsupported ${this.kind.noun} event ID ${eventId}`);
    if (!this.unsubscribe) {
      const feed = this.kind.feed(conn);
      if (!feed) throw VirError.noSupport(`virConnect${pascal(this.kind.noun)}EventRegisterAny`);
      this.unsubscribe = feed.subscribe((ev) => this.deliver(ev));
    }
    const callbackId = this.ids.take();
    this.regs.set(callbackId, { eventId, only: ref === null ? null : this.kind.identity(ref) });
    return callbackId;
  }

  /** CONNECT_<KIND>_EVENT_DEREGISTER_ANY. */
  private deregister(callbackId: number): void {
    if (!this.regs.delete(callbackId)) throw rpcError(`${this.kind.deregisterNoun} event callback ${callbackId} not registered`);
    if (this.regs.size === 0) this.clear();
  }

  private deliver(ev: { eventId: number } & Record<string, unknown>): void {
    const proc = this.kind.messages[ev.eventId];
    if (proc === undefined) return;
    const subject = this.kind.identity(ev[this.kind.field] as Record<string, unknown>);
    for (const [callbackId, r] of this.regs) {
      if (r.eventId !== ev.eventId || (r.only !== null && r.only !== subject)) continue;
      try {
        this.send(proc, encodeStruct(MESSAGE_LAYOUTS[proc], { ...ev, callbackID: callbackId }));
      } catch (e) {
        this.log.warn(`${this.who}: cannot encode ${this.kind.noun} event for callback ${callbackId}: ${(e as Error).message}`);
      }
    }
  }

  /** Drop every registration (connection closed). */
  clear(): void {
    this.regs.clear();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

const pascal = (noun: string): string => noun.replace(/(^|\s)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
