/**
 * Domain events of a remote connection, as the `DriverEvents` feed of core. The feed does not
 * say which event IDs its listeners want, so the first subscriber registers every domain event ID
 * on the server (CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, all domains); the server's callback
 * IDs route incoming MESSAGEs back to their event ID. After a reconnect `registerAll` runs again
 * on the new transport.
 */
import type { DomainEvent, DriverEvents } from '@virtkit/core';
import type { DomainRef } from '@virtkit/core';
import {
  CORE_LAYOUTS,
  REMOTE_PROC,
  decodeStruct,
  domainEventLayouts,
  typedParamsToRecord,
  type DomainEventLayout,
  type WireTypedParam,
} from '@virtkit/protocol';

export type RemoteCall = (
  proc: number,
  args: readonly (readonly [string, string])[],
  values: Record<string, unknown>,
  ret: readonly (readonly [string, string])[],
) => Promise<Record<string, unknown>>;

const REGISTER = CORE_LAYOUTS[REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY];
const DEREGISTER = CORE_LAYOUTS[REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY];

export class RemoteEvents implements DriverEvents {
  private readonly listeners = new Set<(e: DomainEvent) => void>();
  private readonly layouts = domainEventLayouts();
  private readonly byProc = new Map<number, DomainEventLayout>(this.layouts.map((l) => [l.proc, l]));
  /** Server callback ID → event ID, for the current transport. */
  private callbackIds = new Map<number, number>();
  /** Set while listeners exist: settles once the server-side registrations are in place. */
  private registered: Promise<void> | null = null;

  /** `call` sends one procedure on the current transport; `onRegistering` lets the connection hold its calls until registration is done. */
  constructor(
    private readonly call: RemoteCall,
    private readonly onRegistering: (p: Promise<void>) => void,
  ) {}

  get active(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: (event: DomainEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.registered) {
      this.registered = this.registerAll();
      this.onRegistering(this.registered);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.deregisterAll();
    };
  }

  async ready(): Promise<void> {
    await this.registered;
  }

  /** Register every event ID on the current transport (a fresh connection, or after a reconnect). */
  async registerAll(): Promise<void> {
    this.callbackIds = new Map();
    await Promise.all(
      this.layouts.map(async (l) => {
        try {
          const r = await this.call(
            REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
            REGISTER.args,
            { eventID: l.eventId, dom: null },
            REGISTER.ret,
          );
          this.callbackIds.set(r.callbackID as number, l.eventId);
        } catch {
          // A server that does not know this event ID simply never sends it.
        }
      }),
    );
  }

  private deregisterAll(): void {
    const ids = [...this.callbackIds.keys()];
    this.callbackIds = new Map();
    this.registered = null;
    for (const id of ids) {
      this.call(REMOTE_PROC.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, DEREGISTER.args, { callbackID: id }, DEREGISTER.ret).catch(
        () => undefined,
      );
    }
  }

  /** An event MESSAGE of the REMOTE program; other procedures and undecodable payloads are dropped, as libvirt's client does. */
  deliver(proc: number, payload: Buffer): void {
    const layout = this.byProc.get(proc);
    if (!layout) return;
    let fields: Record<string, unknown>;
    try {
      fields = decodeStruct(layout.fields, payload, 0, false);
    } catch {
      return;
    }
    const eventId = this.callbackIds.get(fields.callbackID as number);
    if (eventId === undefined) return;
    const event: DomainEvent = { eventId, dom: fields.dom as DomainRef };
    for (const [name, type] of layout.fields.slice(2)) {
      event[name] = type.startsWith('TP<') ? typedParamsToRecord(fields[name] as WireTypedParam[]) : fields[name];
    }
    for (const l of [...this.listeners]) l(event);
  }
}
