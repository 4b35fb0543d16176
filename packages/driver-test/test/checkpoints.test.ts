import { testIf } from '@virtkit/testkit';
import { failure, open as openConn, py } from './helpers';
import type { TestConnection } from '../src/connection';

const opened: TestConnection[] = [];
const open = async () => {
  const c = await openConn();
  opened.push(c);
  return c;
};
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

describe('checkpoints', () => {
  it('creates, lists, looks up, formats and deletes like libvirt', async () => {
    const c = await open();
    const dom = await c.domainLookupByName('test');
    const c1 = await c.domainCheckpointCreateXML(dom, '<domaincheckpoint><name>c1</name></domaincheckpoint>', 0);
    const c2 = await c.domainCheckpointCreateXML(dom, '<domaincheckpoint><name>c2</name></domaincheckpoint>', 0);
    const c3 = await c.domainCheckpointCreateXML(dom, '<domaincheckpoint><name>c3</name></domaincheckpoint>', 0);
    expect((await c.domainCheckpointGetParent(c2, 0)).name).toBe('c1');
    expect(await failure(c.domainCheckpointGetParent(c1, 0))).toEqual([
      103,
      12,
      "Domain checkpoint not found: checkpoint 'c1' does not have a parent",
    ]);
    expect(await failure(c.domainCheckpointLookupByName(dom, 'zz', 0))).toEqual([
      103,
      12,
      "Domain checkpoint not found: no domain checkpoint with matching name 'zz'",
    ]);
    expect(await failure(c.domainSnapshotCreateXML(dom, '<domainsnapshot/>', 0))).toEqual([
      84,
      12,
      'Operation not supported: cannot create snapshot while checkpoint exists',
    ]);
    const names = async (flags: number) => (await c.domainListAllCheckpoints(dom, flags)).map((x) => x.name);
    expect(await names(0)).toEqual(['c1', 'c2', 'c3']);
    expect(await names(1)).toEqual(['c1']);
    expect(await names(2)).toEqual(['c1', 'c2', 'c3']);
    expect(await names(4)).toEqual(['c3']);
    expect(await names(8)).toEqual(['c1', 'c2']);
    expect((await c.domainCheckpointListAllChildren(c1, 0)).map((x) => x.name)).toEqual(['c2']);
    expect((await c.domainCheckpointListAllChildren(c1, 1)).map((x) => x.name)).toEqual(['c2', 'c3']);
    expect((await c.domainCheckpointLookupByName(dom, 'c3', 0)).name).toBe('c3');
    const xml = await c.domainCheckpointGetXMLDesc(c1, 0);
    expect(xml).toMatch(
      /^<domaincheckpoint>\n {2}<name>c1<\/name>\n {2}<creationTime>\d+<\/creationTime>\n {2}<disks>\n {4}<disk name='vda' checkpoint='bitmap' bitmap='c1'\/>\n {2}<\/disks>\n {2}<domain type='test'>/,
    );
    expect(await c.domainCheckpointGetXMLDesc(c1, 2)).not.toContain('<domain ');
    expect(await c.connectListAllDomains(16384)).toHaveLength(1);
    await c.domainCheckpointDelete(c2, 0);
    expect((await c.domainCheckpointGetParent(c3, 0)).name).toBe('c1');
    await c.domainCheckpointDelete(c1, 4);
    expect(await names(0)).toEqual(['c1']);
    await c.domainCheckpointDelete(c1, 2);
    expect(await names(0)).toEqual([]);
    await c.domainDestroy(dom);
    expect(await failure(c.domainCheckpointCreateXML(dom, '<domaincheckpoint/>', 0))).toEqual([
      84,
      12,
      'Operation not supported: cannot create checkpoint for inactive domain',
    ]);
    await c.close();
  });

  testIf('libvirt-python')('matches python libvirt listings', async () => {
    const real = py(`d = c.lookupByName("test")
for n in ["c1", "c2", "c3"]:
    d.checkpointCreateXML("<domaincheckpoint><name>%s</name></domaincheckpoint>" % n)
c1 = d.checkpointLookupByName("c1")
out = [[sorted(names(d.listAllCheckpoints(f))) for f in range(16)], [names(c1.listAllChildren(f)) for f in range(16)],
       err(lambda: d.listAllCheckpoints(16))]`) as unknown[];
    const c = await open();
    const dom = await c.domainLookupByName('test');
    for (const n of ['c1', 'c2', 'c3']) await c.domainCheckpointCreateXML(dom, `<domaincheckpoint><name>${n}</name></domaincheckpoint>`, 0);
    const c1 = await c.domainCheckpointLookupByName(dom, 'c1', 0);
    const all = [];
    const kids = [];
    for (let f = 0; f < 16; f++) {
      all.push((await c.domainListAllCheckpoints(dom, f)).map((x) => x.name).sort());
      kids.push((await c.domainCheckpointListAllChildren(c1, f)).map((x) => x.name));
    }
    expect([all, kids, await failure(c.domainListAllCheckpoints(dom, 16))]).toEqual(real);
    await c.close();
  });
});
