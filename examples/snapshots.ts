/**
 * Snapshots: grow a small tree, list it with parents, revert to the first one and delete the tree.
 *   npx tsx examples/snapshots.ts [URI]     (default test:///default)
 */
import { DomainSnapshotDeleteFlags, open } from '@virtkit/core';

async function main(uri: string): Promise<void> {
  const conn = await open(uri);
  try {
    const dom = await conn.lookupByName('test');
    const first = await dom.snapshotCreateXML(
      '<domainsnapshot><name>first</name><description>before the change</description></domainsnapshot>',
    );
    await dom.snapshotCreateXML('<domainsnapshot><name>second</name></domainsnapshot>');
    await first.revert();
    await dom.snapshotCreateXML('<domainsnapshot><name>branch</name></domainsnapshot>');

    for (const snap of await dom.listAllSnapshots()) {
      const parent = await snap.getParent().then(
        (p) => p.getName(),
        () => '-',
      );
      console.log(`${snap.getName()} (parent ${parent})`);
    }
    console.log(`current: ${(await dom.snapshotCurrent()).getName()}`);

    await first.delete(DomainSnapshotDeleteFlags.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN);
    console.log(`left after deleting the tree: ${(await dom.listAllSnapshots()).length}`);
  } finally {
    await conn.close();
  }
}

main(process.argv[2] ?? 'test:///default').catch((e) => {
  console.error(String(e));
  process.exit(1);
});
