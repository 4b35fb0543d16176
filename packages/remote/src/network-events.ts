/**
 * Network events of a remote connection, as the `DriverNetworkEvents` feed of core: the first
 * subscriber registers the lifecycle event for every network on the server
 * (CONNECT_NETWORK_EVENT_REGISTER_ANY), and NETWORK_EVENT_LIFECYCLE messages carrying that
 * callback ID reach the listeners. After a reconnect `registerAll` runs again.
 */
import { NetworkEventID, type DriverNetworkEvents, type NetworkEvent, type NetworkRef } from '@virtkit/core';
import { CORE_LAYOUTS, MESSAGE_LAYOUTS, REMOTE_PROC, decodeStruct } from '@virtkit/protocol';
import type { RemoteCall } from './events';

const REGISTER = CORE_LAYOUTS[REMOTE_PROC.CONNECT_NETWORK_EVENT_REGISTER_ANY];
const DEREGISTER = CORE_LAYOUTS[REMOTE_PROC.CONNECT_NETWORK_EVENT_DEREGISTER_ANY];
const LIFECYCLE = MESSAGE_LAYOUTS[REMOTE_PROC.NETWORK_EVENT_LIFECYCLE];

export class RemoteNetworkEvents implements DriverNetworkEvents {
  private readonly listeners = new Set<(e: NetworkEvent) => void>();
  /** The server's callback ID of the current registration. */
  private callbackId: number | null = null;
  private registered: Promise<void> | null = null;

  constructor(
    private readonly call: RemoteCall,
    private readonly onRegistering: (p: Promise<void>) => void,
  ) {}

  get active(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: (event: NetworkEvent) => void): () => void {
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

  /** Register on the current transport; a server without network events never sends any. */
  async registerAll(): Promise<void> {
    this.callbackId = null;
    try {
      const r = await this.call(
        REMOTE_PROC.CONNECT_NETWORK_EVENT_REGISTER_ANY,
        REGISTER.args,
        { eventID: NetworkEventID.VIR_NETWORK_EVENT_ID_LIFECYCLE, net: null },
        REGISTER.ret,
      );
      this.callbackId = r.callbackID as number;
    } catch {
      // no network events from this server
    }
  }

  private deregister(): void {
    const id = this.callbackId;
    this.callbackId = null;
    this.registered = null;
    if (id === null) return;
    this.call(REMOTE_PROC.CONNECT_NETWORK_EVENT_DEREGISTER_ANY, DEREGISTER.args, { callbackID: id }, DEREGISTER.ret).catch(() => undefined);
  }

  /** A NETWORK_EVENT_LIFECYCLE message; anything else, or a payload that does not decode, is dropped. */
  deliver(proc: number, payload: Buffer): void {
    if (proc !== REMOTE_PROC.NETWORK_EVENT_LIFECYCLE || this.callbackId === null) return;
    let f: Record<string, unknown>;
    try {
      f = decodeStruct(LIFECYCLE, payload, 0, false);
    } catch {
      return;
    }
    if (f.callbackID !== this.callbackId) return;
    const event: NetworkEvent = {
      eventId: NetworkEventID.VIR_NETWORK_EVENT_ID_LIFECYCLE,
      net: f.net as NetworkRef,
      event: f.event as number,
      detail: f.detail as number,
    };
    for (const l of [...this.listeners]) l(event);
  }
}
