/**
 * Network event registrations of one client (CONNECT_NETWORK_EVENT_REGISTER_ANY) and the
 * forwarding of the driver's network events as NETWORK_EVENT_LIFECYCLE messages. Callback IDs
 * come from the daemon-wide counter the domain events use.
 */
import { ErrorDomain, ErrorNumber, NetworkEventID, VirError, type DriverNetworkEvents, type NetworkEvent } from '@virtkit/core';
import { MESSAGE_LAYOUTS, REMOTE_PROC, encodeStruct } from '@virtkit/protocol';
import type { CallbackIds, SendMessage } from './events';
import type { Logger } from './log';

interface Registration {
  callbackId: number;
  /** UUID filter, or null for every network. */
  netUuid: string | null;
}

const LIFECYCLE = MESSAGE_LAYOUTS[REMOTE_PROC.NETWORK_EVENT_LIFECYCLE];

export class ClientNetworkEvents {
  private readonly regs = new Map<number, Registration>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ids: CallbackIds,
    private readonly send: SendMessage,
    private readonly log: Logger,
    private readonly who: string,
  ) {}

  /** CONNECT_NETWORK_EVENT_REGISTER_ANY. */
  register(feed: DriverNetworkEvents | undefined, eventId: number, net: { uuid: string } | null): number {
    if (eventId !== NetworkEventID.VIR_NETWORK_EVENT_ID_LIFECYCLE)
      throw VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_RPC, `unsupported network event ID ${eventId}`);
    if (!this.unsubscribe) {
      if (!feed) throw VirError.noSupport('virConnectNetworkEventRegisterAny');
      this.unsubscribe = feed.subscribe((ev) => this.deliver(ev));
    }
    const callbackId = this.ids.take();
    this.regs.set(callbackId, { callbackId, netUuid: net?.uuid ?? null });
    return callbackId;
  }

  /** CONNECT_NETWORK_EVENT_DEREGISTER_ANY. */
  deregister(callbackId: number): void {
    if (!this.regs.delete(callbackId))
      throw VirError.create(
        ErrorNumber.VIR_ERR_INTERNAL_ERROR,
        ErrorDomain.VIR_FROM_RPC,
        `network event callback ${callbackId} not registered`,
      );
    if (this.regs.size === 0) this.clear();
  }

  private deliver(ev: NetworkEvent): void {
    for (const r of this.regs.values()) {
      if (r.netUuid && r.netUuid !== ev.net.uuid) continue;
      try {
        this.send(REMOTE_PROC.NETWORK_EVENT_LIFECYCLE, encodeStruct(LIFECYCLE, { ...ev, callbackID: r.callbackId }));
      } catch (e) {
        this.log.warn(`${this.who}: cannot encode network event for callback ${r.callbackId}: ${(e as Error).message}`);
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
