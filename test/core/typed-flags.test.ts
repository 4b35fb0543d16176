/**
 * Generated methods take their call's flags enum, so tsc refuses another call's flags: each
 * `@ts-expect-error` below fails the type check (`npx tsc -b`) if the parameter were a plain number.
 */
import { DomainSnapshotXMLFlags, DomainXMLFlags, open } from '@virtkit/core';

test('flags parameters are typed by their enum, and the right flags still work', async () => {
  const c = await open('test:///default');
  try {
    const dom = await c.lookupByName('test');
    expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE | DomainXMLFlags.VIR_DOMAIN_XML_SECURE)).toContain(
      '<name>test</name>',
    );
    expect(await dom.getXMLDesc()).toContain('<name>test</name>');
    // @ts-expect-error a snapshot's XML flag is not a domain XML flag
    await dom.getXMLDesc(DomainSnapshotXMLFlags.VIR_DOMAIN_SNAPSHOT_XML_SECURE);
    const pool = await c.storagePoolLookupByName('default-pool');
    expect(await pool.getXMLDesc()).toContain('<pool');
    // @ts-expect-error a domain XML flag is not a storage XML flag
    await pool.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_MIGRATABLE).catch(() => undefined);
  } finally {
    await c.close();
  }
});
