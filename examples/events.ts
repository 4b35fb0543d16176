/**
 * Lifecycle events as an async iterator: start and stop a domain of the test driver and print
 * each event as it arrives, until the domain is stopped.
 *   npx tsx examples/events.ts [URI]        (default test:///default)
 */
import { DomainEventID, DomainEventType, open } from '@virtkit/core';
import { domainEvents } from './lib/domain-events';

async function main(uri: string): Promise<void> {
  const conn = await open(uri);
  try {
    const dom = await conn.lookupByName('test');
    const events = await domainEvents(conn, DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE);
    // Make some events happen once the loop below is waiting for them.
    const actions = (async () => {
      await dom.destroy();
      await dom.create();
      await dom.destroy();
    })();
    let stops = 0;
    for await (const { dom: d, event } of events) {
      const type = DomainEventType[event.event as number];
      console.log(`${d.getName()}: ${type} (detail ${event.detail})`);
      if (event.event === DomainEventType.VIR_DOMAIN_EVENT_STOPPED && ++stops === 2) break; // deregisters
    }
    await actions;
  } finally {
    await conn.close();
  }
}

main(process.argv[2] ?? 'test:///default').catch((e) => {
  console.error(String(e));
  process.exit(1);
});
