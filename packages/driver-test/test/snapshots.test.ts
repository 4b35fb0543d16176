import { testIf } from '@virtkit/testkit';
import { failure, open, py, recordEvents } from './helpers';
import type { TestConnection } from '../src/connection';

let c: TestConnection;
beforeEach(async () => {
  c = await open();
});
afterEach(async () => {
  await c.close();
});

/** The same tree as snapshot-tree.test.ts, redefined with states and locations. */
const TREE: Array<[string, string | undefined, string, boolean]> = [
  ['a', undefined, 'running', false],
  ['b', 'a', 'paused', false],
  ['c', 'a', 'shutoff', false],
  ['d', 'b', 'disk-snapshot', false],
  ['e', 'b', 'running', true],
  ['f', 'c', 'shutoff', false],
  ['g', 'e', 'running', false],
  ['h', undefined, 'paused', false],
];
const redefineXml = ([name, parent, state, external]: (typeof TREE)[number]) =>
  `<domainsnapshot><name>${name}</name><state>${state}</state>${parent ? `<parent><name>${parent}</name></parent>` : ''}` +
  `<creationTime>1</creationTime>${external ? "<memory snapshot='external' file='/tmp/mem'/>" : ''}` +
  `${external || state === 'disk-snapshot' ? "<disks><disk name='vda' snapshot='no'/></disks>" : ''}@DOM@</domainsnapshot>`;
/** The redefinition documents, embedding the domain's inactive XML. */
async function redefineDocs(conn: TestConnection): Promise<string[]> {
  const xml = await conn.domainGetXMLDesc(await conn.domainLookupByName('test'), 2);
  return TREE.map((n) => redefineXml(n).replace('@DOM@', xml));
}

describe('snapshots', () => {
  it("creates a chain with parents, current and libvirt's XML", async () => {
    const dom = await c.domainLookupByName('test');
    const s1 = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>s1</name><description>hi</description></domainsnapshot>', 0);
    const s2 = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>s2</name></domainsnapshot>', 0);
    expect((await c.domainSnapshotGetParent(s2, 0)).name).toBe('s1');
    expect(await failure(c.domainSnapshotGetParent(s1, 0))).toEqual([
      72,
      12,
      "Domain snapshot not found: snapshot 's1' does not have a parent",
    ]);
    expect(await c.domainSnapshotIsCurrent(s2, 0)).toBe(true);
    expect(await c.domainSnapshotIsCurrent(s1, 0)).toBe(false);
    expect(await c.domainSnapshotHasMetadata(s1, 0)).toBe(true);
    expect(await c.domainHasCurrentSnapshot(dom, 0)).toBe(true);
    expect(await failure(c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>s2</name></domainsnapshot>', 0))).toEqual([
      9,
      20,
      'operation failed: domain moment s2 already exists',
    ]);
    const xml = await c.domainSnapshotGetXMLDesc(s1, 0);
    expect(xml).toMatch(
      /^<domainsnapshot>\n {2}<name>s1<\/name>\n {2}<description>hi<\/description>\n {2}<state>running<\/state>\n {2}<creationTime>\d+<\/creationTime>\n {2}<memory snapshot='internal'\/>\n {2}<disks>\n {4}<disk name='vda' snapshot='internal'\/>\n {2}<\/disks>\n {2}<domain type='test'>\n {4}<name>test<\/name>/,
    );
    expect(xml).not.toContain("id='1'");
    for (const f of [4, 16, 32]) {
      expect(await failure(c.domainSnapshotCreateXML(dom, '<domainsnapshot/>', f))).toEqual([
        8,
        12,
        `unsupported flags (0x${f.toString(16)}) in function testDomainSnapshotCreateXML`,
      ]);
    }
    expect(await failure(c.domainSnapshotDelete(s1, 2))).toEqual([8, 12, 'unsupported flags (0x2) in function testDomainSnapshotDelete']);
    expect(await failure(c.domainCheckpointCreateXML(dom, '<domaincheckpoint/>', 0))).toEqual([
      84,
      12,
      'Operation not supported: cannot create checkpoint while snapshot exists',
    ]);
  });

  it('halts the domain with HALT and refuses it for transient domains', async () => {
    const ev = recordEvents(c);
    const dom = await c.domainLookupByName('test');
    await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>h</name></domainsnapshot>', 8);
    expect(await c.domainGetState(dom, 0)).toEqual({ state: 5, reason: 7 });
    expect(ev).toEqual([['test', -1, 5, 6]]);
    const t = await c.domainCreateXML("<domain type='test'><name>t</name><memory>1024</memory><os><type>hvm</type></os></domain>", 0);
    expect(await failure(c.domainSnapshotCreateXML(t, '<domainsnapshot/>', 8))).toEqual([
      55,
      12,
      'Requested operation is not valid: cannot halt after transient domain snapshot',
    ]);
  });

  it("reverts through every state transition with libvirt 9.0's states and events", async () => {
    const dom = await c.domainLookupByName('test');
    const r = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>r</name></domainsnapshot>', 0);
    await c.domainSuspend(dom);
    const p = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>p</name></domainsnapshot>', 0);
    await c.domainDestroy(dom);
    const o = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>o</name></domainsnapshot>', 0);
    const ev = recordEvents(c);
    const step = async (s: typeof r, flags = 0) => {
      ev.length = 0;
      await c.domainRevertToSnapshot(s, flags);
      const st = await c.domainGetState(dom, 0);
      return [st.state, st.reason, ...ev.map((e) => `${e[2]}/${e[3]}`)];
    };
    expect(await step(o)).toEqual([5, 2]);
    expect(await step(r)).toEqual([1, 4, '2/3']);
    expect(await step(r)).toEqual([1, 4, '5/6', '2/3']);
    expect(await step(p)).toEqual([3, 7, '5/6', '2/3', '3/5']);
    expect(await step(r)).toEqual([1, 4, '5/6', '2/3']);
    expect(await step(o)).toEqual([5, 7, '5/6']);
    expect(await step(p)).toEqual([3, 7, '2/3', '3/5']);
    expect(await step(o)).toEqual([5, 7, '5/6']);
    expect(await step(r, 2)).toEqual([3, 7, '2/3', '3/5']);
    expect(await step(p, 1)).toEqual([1, 4, '5/6', '2/3']);
    expect(await step(o, 1)).toEqual([5, 7, '5/6', '2/3']);
    expect(await step(o, 6)).toEqual([5, 7, '2/3', '3/5']);
    expect((await c.domainSnapshotCurrent(dom, 0)).name).toBe('o');
    const h = await c.domainSnapshotCreateXML(dom, '<domainsnapshot><name>h</name></domainsnapshot>', 8);
    expect((await c.domainSnapshotGetParent(h, 0)).name).toBe('o');
    expect((await c.domainListAllSnapshots(dom, 1024)).map((s) => s.name)).toEqual(['r', 'p', 'o', 'h']);
  });

  it('deletes with children, children-only and plain (reparenting)', async () => {
    const dom = await c.domainLookupByName('test');
    for (const x of await redefineDocs(c)) await c.domainSnapshotCreateXML(dom, x, 1);
    const ref = (name: string) => ({ name, domain: dom });
    await c.domainSnapshotDelete(ref('b'), 0);
    expect((await c.domainSnapshotGetParent(ref('e'), 0)).name).toBe('a');
    expect((await c.domainSnapshotListAllChildren(ref('a'), 0)).map((s) => s.name)).toEqual(['e', 'd', 'c']);
    await c.domainSnapshotDelete(ref('e'), 4);
    expect(await failure(c.domainSnapshotLookupByName(dom, 'g', 0))).toEqual([
      72,
      12,
      "Domain snapshot not found: no domain snapshot with matching name 'g'",
    ]);
    await c.domainSnapshotDelete(ref('a'), 1);
    expect((await c.domainListAllSnapshots(dom, 0)).map((s) => s.name)).toEqual(['h']);
    expect(await c.domainSnapshotNum(dom, 0)).toBe(1);
    expect(await c.domainSnapshotListNames(dom, 10, 0)).toEqual(['h']);
  });

  it('validates redefinitions like libvirt', async () => {
    const dom = await c.domainLookupByName('test');
    const dx = await c.domainGetXMLDesc(dom, 2);
    const R = (n: (typeof TREE)[number], withDom = true) => redefineXml(n).replace('@DOM@', withDom ? dx : '');
    expect(await failure(c.domainSnapshotCreateXML(dom, R(TREE[0], false), 1))).toEqual([
      1,
      35,
      'internal error: missing domain in snapshot',
    ]);
    await c.domainSnapshotCreateXML(dom, R(TREE[0]), 1);
    await c.domainSnapshotCreateXML(dom, R(TREE[1]), 1);
    expect(await failure(c.domainSnapshotCreateXML(dom, R(['a', 'a', 'running', false]), 1))).toEqual([
      8,
      20,
      'invalid argument: cannot set moment a as its own parent',
    ]);
    expect(await failure(c.domainSnapshotCreateXML(dom, R(['x', 'zz', 'running', false]), 1))).toEqual([
      8,
      20,
      'invalid argument: parent zz for moment x not found',
    ]);
    expect(await failure(c.domainSnapshotCreateXML(dom, R(['a', 'b', 'running', false]), 1))).toEqual([
      8,
      20,
      'invalid argument: parent b would create cycle to a',
    ]);
    expect(await failure(c.domainSnapshotCreateXML(dom, R(['a', undefined, 'shutoff', false]), 1))).toEqual([
      8,
      35,
      'invalid argument: cannot change between online and offline snapshot state in snapshot a',
    ]);
    expect(await failure(c.domainSnapshotCreateXML(dom, R(['q', undefined, 'running', false]).replace('6695eb01', '6695eb02'), 1))).toEqual(
      [8, 35, 'invalid argument: definition for snapshot q must use uuid 6695eb01-f6a4-8304-79aa-97f2502e193f'],
    );
    expect(await c.domainHasCurrentSnapshot(dom, 0)).toBe(false);
    const b = await c.domainSnapshotCreateXML(dom, R(TREE[1]), 3);
    expect((await c.domainSnapshotCurrent(dom, 0)).name).toBe('b');
    expect(await c.domainSnapshotGetXMLDesc(b, 0)).toContain("<disks>\n    <disk name='vda' snapshot='internal'/>\n  </disks>");
  });

  testIf('libvirt-python')('lists exactly as python libvirt for every flag combination', async () => {
    const dom = await c.domainLookupByName('test');
    for (const x of await redefineDocs(c)) await c.domainSnapshotCreateXML(dom, x, 1);
    const real = py(`d = c.lookupByName("test")
for x in ${JSON.stringify(TREE.map(redefineXml))}:
    d.snapshotCreateXML(x.replace("@DOM@", d.XMLDesc(2)), 1)
res = {}
for f in range(2048):
    l = names(d.listAllSnapshots(f))
    res["all/%d" % f] = l if (f & 1024) or (f & 1) else sorted(l)
    for s in d.listAllSnapshots(0):
        res["%s/%d" % (s.getName(), f)] = names(s.listAllChildren(f))
out = res`) as Record<string, string[]>;
    const ours: Record<string, string[]> = {};
    for (let f = 0; f < 2048; f++) {
      const l = (await c.domainListAllSnapshots(dom, f)).map((s) => s.name);
      ours[`all/${f}`] = f & 1024 || f & 1 ? l : [...l].sort();
      for (const [n] of TREE) ours[`${n}/${f}`] = (await c.domainSnapshotListAllChildren({ name: n, domain: dom }, f)).map((s) => s.name);
    }
    expect(ours).toEqual(real);
  });
});
