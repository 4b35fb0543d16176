/**
 * Domain event registrations of one client and the forwarding of driver events as MESSAGE frames
 * (docs/wire-protocol.md §6). Callback IDs come from one daemon-wide counter.
 */
import type { DomainEvent, DriverEvents } from '@virtkit/core';
import { ErrorDomain, VirError } from '@virtkit/core';
import { EVENT_MESSAGES, encodeStruct, type EventMessageInfo } from '@virtkit/protocol';
import type { Logger } from './log';

interface Registration {
  callbackId: number;
  eventId: number;
  /** UUID filter, or null for every domain. */
  domUuid: string | null;
  /** Legacy registrations (105 / 167) get legacy messages without callbackID. */
  legacy: boolean;
}

/** The daemon-wide callback ID counter. */
export class CallbackIds {
  private next = 0;
  take(): number {
    return this.next++;
  }
}

export type SendMessage = (proc: number, payload: Buffer) => void;

export class ClientEvents {
  private readonly regs = new Map<number, Registration>();
  private unsubscribe: (() => void) | null = null;
  private readonly layouts: Map<number, EventMessageInfo>;

  constructor(
    private readonly ids: CallbackIds,
    private readonly send: SendMessage,
    private readonly log: Logger,
    private readonly who: string,
  ) {
    this.layouts = new Map(EVENT_MESSAGES.map((l) => [l.eventId, l]));
  }

  private ensureSubscribed(feed: DriverEvents | undefined, api: string): void {
    if (this.unsubscribe) return;
    if (!feed) throw VirError.noSupport(api);
    this.unsubscribe = feed.subscribe((ev) => this.deliver(ev));
  }

  private checkEventId(eventId: number): void {
    if (!this.layouts.has(eventId)) throw VirError.invalidArg(`unsupported event ID ${eventId}`, ErrorDomain.VIR_FROM_NONE);
  }

  /** CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY. */
  registerCallback(feed: DriverEvents | undefined, eventId: number, dom: { uuid: string } | null): number {
    this.checkEventId(eventId);
    this.ensureSubscribed(feed, 'virConnectDomainEventRegisterAny');
    const callbackId = this.ids.take();
    this.regs.set(callbackId, { callbackId, eventId, domUuid: dom?.uuid ?? null, legacy: false });
    return callbackId;
  }

  /** CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY. */
  deregisterCallback(callbackId: number): void {
    const r = this.regs.get(callbackId);
    if (!r || r.legacy) throw VirError.invalidArg(`callback ${callbackId} not registered`, ErrorDomain.VIR_FROM_NONE);
    this.regs.delete(callbackId);
    this.maybeUnsubscribe();
  }

  /** CONNECT_DOMAIN_EVENT_REGISTER_ANY (167) / REGISTER (105, lifecycle only). */
  registerLegacy(feed: DriverEvents | undefined, eventId: number): void {
    this.checkEventId(eventId);
    if ([...this.regs.values()].some((r) => r.legacy && r.eventId === eventId)) {
      throw VirError.operationInvalid(`domain event ${eventId} already registered`, ErrorDomain.VIR_FROM_NONE);
    }
    this.ensureSubscribed(feed, 'virConnectDomainEventRegisterAny');
    const callbackId = this.ids.take();
    this.regs.set(callbackId, { callbackId, eventId, domUuid: null, legacy: true });
  }

  deregisterLegacy(eventId: number): void {
    const r = [...this.regs.values()].find((x) => x.legacy && x.eventId === eventId);
    if (!r) throw VirError.invalidArg(`domain event ${eventId} not registered`, ErrorDomain.VIR_FROM_NONE);
    this.regs.delete(r.callbackId);
    this.maybeUnsubscribe();
  }

  private maybeUnsubscribe(): void {
    if (this.regs.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  private deliver(ev: DomainEvent): void {
    const layout = this.layouts.get(ev.eventId);
    if (!layout) return;
    for (const r of this.regs.values()) {
      if (r.eventId !== ev.eventId) continue;
      if (r.domUuid && r.domUuid !== ev.dom.uuid) continue;
      const proc = r.legacy ? layout.legacyProc : layout.proc;
      if (proc === null) continue;
      const fields = r.legacy ? layout.legacyFields : layout.fields;
      try {
        const payload = encodeStruct(fields, { ...ev, callbackID: r.callbackId, dom: ev.dom });
        this.send(proc, payload);
      } catch (e) {
        this.log.warn(`${this.who}: cannot encode event ${ev.eventId} for callback ${r.callbackId}: ${(e as Error).message}`);
      }
    }
  }

  /** Drop every registration (connection closed). */
  clear(): void {
    this.regs.clear();
    this.maybeUnsubscribe();
  }
}
