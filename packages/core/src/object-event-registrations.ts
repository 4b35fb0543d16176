/**
 * The callbacks one connection registered for the events of one kind of object (networks,
 * storage pools, node devices, secrets): libvirt's object event callback list behind
 * virConnect<Kind>EventRegisterAny. The first registration subscribes to the driver's feed; an
 * event reaches each callback of its event ID whose object filter, if any, names its object.
 */
import type { DriverObjectEvents } from './driver-base';
import { VirError } from './errors';

/** What tells the event registrations of one kind of object from another's. */
export interface ObjectEventKind<E, R> {
  /** libvirt's C names of the calls, for their errors. */
  register: string;
  deregister: string;
  /** VIR_<KIND>_EVENT_ID_LAST. */
  idLast: number;
  /** The object an event is about. */
  object(event: E): R;
  /** The identity a handle filter compares: the UUID, or a node device's name. */
  identity(ref: R): string;
}

interface Registration<E, R> {
  eventId: number;
  /** The identity of the one object watched, or null for every object. */
  only: string | null;
  callback: (event: E, ref: R) => void;
}

export class ObjectEventRegistrations<E extends { eventId: number }, R> {
  private readonly regs = new Map<number, Registration<E, R>>();
  private unsubscribe: (() => void) | null = null;

  constructor(readonly kind: ObjectEventKind<E, R>) {}

  /**
   * Register `callback` under `callbackId` for the events `eventId` of `only` (every object when
   * null); settles once the driver's feed delivers them.
   */
  async register(
    feed: DriverObjectEvents<E> | undefined,
    callbackId: number,
    eventId: number,
    only: R | null,
    callback: (event: E, ref: R) => void,
  ): Promise<void> {
    if (!feed) throw VirError.noSupport(this.kind.register);
    if (!Number.isInteger(eventId) || eventId < 0 || eventId >= this.kind.idLast)
      throw VirError.invalidArg(`eventID in ${this.kind.register} must be less than ${this.kind.idLast}`);
    this.unsubscribe ??= feed.subscribe((ev) => this.dispatch(ev));
    this.regs.set(callbackId, { eventId, only: only && this.kind.identity(only), callback });
    await feed.ready?.();
  }

  /** Remove the callback registered under `callbackId`. */
  deregister(callbackId: number): void {
    if (!this.regs.delete(callbackId)) throw VirError.invalidArg(`could not find event callback ${callbackId} for deletion`);
  }

  /** Drop every callback and the feed subscription (the connection closed). */
  clear(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.regs.clear();
  }

  private dispatch(ev: E): void {
    const ref = this.kind.object(ev);
    for (const r of [...this.regs.values()]) {
      if (r.eventId !== ev.eventId) continue;
      if (r.only !== null && r.only !== this.kind.identity(ref)) continue;
      r.callback(ev, ref);
    }
  }
}
