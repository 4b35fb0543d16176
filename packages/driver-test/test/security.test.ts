/**
 * The security model, security labels and domain messages of the test driver, each checked
 * against the same sequence run through real libvirt 9.0's test driver (python3-libvirt).
 */
import * as path from 'node:path';
import { testIf } from '@virtkit/testkit';
import { failure, open, py } from './helpers';
import type { TestConnection } from '../src/connection';

const XML = (name: string) => `<domain type='test'><name>${name}</name><memory>1024</memory><os><type>hvm</type></os></domain>`;

let c: TestConnection;
beforeEach(async () => {
  c = await open();
});
afterEach(async () => {
  await c.close();
});

/** Labels of `test` running, destroyed, started again and paused, then of a defined and a transient domain. */
async function labelSequence(): Promise<unknown[]> {
  const out: unknown[] = [];
  const test = await c.domainLookupByName('test');
  const label = async (ref: typeof test) => {
    const l = await c.domainGetSecurityLabel(ref);
    out.push([l.label, l.enforcing]);
  };
  await label(test);
  await c.domainDestroy(test);
  await label(test);
  await c.domainCreate(test);
  await label(test);
  await c.domainSuspend(test);
  await label(test);
  await label(await c.domainDefineXML(XML('p1')));
  await label(await c.domainCreateXML(XML('t1'), 0));
  return out;
}

describe('security model and labels', () => {
  it('reports the testSecurity model with an empty DOI', async () => {
    expect(await c.nodeGetSecurityModel()).toEqual({ model: 'testSecurity', doi: '' });
  });

  it('labels running and paused domains only, enforcing', async () => {
    expect(await labelSequence()).toEqual([
      ['libvirt-test', 1],
      ['', 0],
      ['libvirt-test', 1],
      ['libvirt-test', 1],
      ['', 0],
      ['libvirt-test', 1],
    ]);
  });

  it('fails for a domain that no longer exists', async () => {
    const p = await c.domainDefineXML(XML('p1'));
    await c.domainUndefine(p);
    expect(await failure(c.domainGetSecurityLabel(p))).toEqual([42, 12, `Domain not found: no domain with matching uuid '${p.uuid}' (p1)`]);
  });

  testIf('libvirt-python')('matches real libvirt', async () => {
    const real = py(`
x = lambda n: "<domain type='test'><name>%s</name><memory>1024</memory><os><type>hvm</type></os></domain>" % n
t = c.lookupByName("test")
seq = [t.securityLabel()]
t.destroy(); seq.append(t.securityLabel())
t.create(); seq.append(t.securityLabel())
t.suspend(); seq.append(t.securityLabel())
seq.append(c.defineXML(x("p1")).securityLabel())
seq.append(c.createXML(x("t1"), 0).securityLabel())
p = c.defineXML(x("p2")); p.undefine()
out = [c.getSecurityModel(), [[l, int(e)] for l, e in seq], err(lambda: p.securityLabel()), p.UUIDString()]
`) as [string[], unknown[], [number, number, string], string];
    const model = await c.nodeGetSecurityModel();
    expect([model.model, model.doi]).toEqual(real[0]);
    expect(await labelSequence()).toEqual(real[1]);
    expect(real[2]).toEqual([42, 12, `Domain not found: no domain with matching uuid '${real[3]}' (p2)`]);
  });
});

describe('domain messages', () => {
  // libvirt's own example node file, whose fc4 and fc5 carry the taints testDomainObjCheckTaint finds.
  const NODE = path.resolve(__dirname, '../../../test/fixtures/libvirt-virsh/examples/xml/test/testnode.xml');

  it('reports the taints of domains loaded from a node file', async () => {
    const custom = await open(`test://${NODE}`);
    try {
      const fc4 = await custom.domainLookupByName('fc4');
      expect(await custom.domainGetMessages(fc4, 0)).toEqual(['tainted: network configuration using opaque shell scripts']);
      const fc5 = await custom.domainLookupByName('fc5');
      expect(await custom.domainGetMessages(fc5, 1)).toEqual(['deprecated configuration: CPU model Deprecated-Test']);
      expect(await custom.domainGetMessages(fc5, 2)).toHaveLength(5);
    } finally {
      await custom.close();
    }
  });

  testIf('libvirt-python')('reports the same node-file taints as real libvirt', async () => {
    const real = py(`
n = libvirt.open("test://${NODE}")
out = [[n.lookupByName(d).messages(f) for f in range(4)] for d in ("fv0", "fc4", "fc5")]
`) as string[][][];
    const custom = await open(`test://${NODE}`);
    try {
      const ours = [];
      for (const name of ['fv0', 'fc4', 'fc5']) {
        const dom = await custom.domainLookupByName(name);
        const perFlag = [];
        for (let f = 0; f < 4; f++) perFlag.push(await custom.domainGetMessages(dom, f));
        ours.push(perFlag);
      }
      expect(ours).toEqual(real);
    } finally {
      await custom.close();
    }
  });

  it('has none for any flag combination, and rejects unknown flags and domains', async () => {
    const test = await c.domainLookupByName('test');
    for (const flags of [0, 1, 2, 3]) expect(await c.domainGetMessages(test, flags)).toEqual([]);
    expect(await failure(c.domainGetMessages(test, 4))).toEqual([8, 12, 'unsupported flags (0x4) in function testDomainGetMessages']);
    await c.domainDestroy(test);
    await c.domainUndefine(test);
    expect(await failure(c.domainGetMessages(test, 0))).toEqual([
      42,
      12,
      `Domain not found: no domain with matching uuid '${test.uuid}' (test)`,
    ]);
  });

  testIf('libvirt-python')('matches real libvirt', async () => {
    const real = py(`
t = c.lookupByName("test")
out = [[t.messages(f) for f in range(4)], err(lambda: t.messages(4))]
`) as [string[][], [number, number, string]];
    const test = await c.domainLookupByName('test');
    const ours = [];
    for (let f = 0; f < 4; f++) ours.push(await c.domainGetMessages(test, f));
    expect(ours).toEqual(real[0]);
    expect(await failure(c.domainGetMessages(test, 4))).toEqual(real[1]);
  });
});
