/**
 * Domain events as an async iterator:
 *   for await (const { dom, event } of await domainEvents(conn, id)) ...
 * Built on Connect.domainEventRegisterAny. The callback is registered before the promise
 * settles (no event is missed between the call and the loop) and deregistered when the loop ends
 * (break, return, throw) or when `signal` aborts: no event loop to run, no cleanup to write.
 */
import type { Connect, Domain, DomainEvent, DomainEventID } from '@virtkit/core';

export interface DomainEventItem {
  dom: Domain;
  event: DomainEvent;
}

export async function domainEvents(conn: Connect, eventId: DomainEventID, signal?: AbortSignal): Promise<AsyncGenerator<DomainEventItem>> {
  const queued: DomainEventItem[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const id = await conn.domainEventRegisterAny<Domain>(null, eventId, (_conn, dom, event) => {
    queued.push({ dom, event });
    notify();
  });
  signal?.addEventListener('abort', notify);
  return (async function* () {
    try {
      while (!signal?.aborted) {
        const next = queued.shift();
        if (next) yield next;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', notify);
      await conn.domainEventDeregisterAny(id);
    }
  })();
}
