import { join } from 'node:path';
import { failure, open } from './helpers';

const NODE = join(__dirname, '../../../test/fixtures/testnode/node.xml');

describe('test:///PATH.xml node files', () => {
  it('loads node info, domains (with includes, runstates, managed save, snapshots), networks and pools', async () => {
    const c = await open(`test://${NODE}`);
    expect(await c.nodeGetInfo()).toEqual({
      model: 'i986',
      memory: 8192000,
      cpus: 50,
      mhz: 6000,
      nodes: 4,
      sockets: 4,
      cores: 4,
      threads: 2,
    });
    const doms = await c.connectListAllDomains(0);
    expect(doms.map((d) => [d.name, d.id])).toEqual([
      ['fv0', 1],
      ['paused', 2],
      ['saved', -1],
      ['transient', 3],
    ]);
    const fv0 = doms[0];
    expect(fv0.uuid).toBe('4dea22b3-1d52-d8f3-2516-782e98ab3fa0');
    expect(await c.domainGetInfo(fv0)).toMatchObject({ state: 1, maxMem: 524288, memory: 262144, nrVirtCpu: 1 });
    expect(await c.domainGetState(doms[1], 0)).toEqual({ state: 3, reason: 0 });
    expect(await c.domainGetState(doms[2], 0)).toEqual({ state: 5, reason: 0 });
    expect(await c.domainHasManagedSaveImage(doms[2], 0)).toBe(true);
    expect(await c.domainIsPersistent(doms[3])).toBe(false);
    const saved = doms[2];
    expect((await c.domainListAllSnapshots(saved, 1024)).map((s) => s.name)).toEqual(['first', 'second']);
    expect((await c.domainSnapshotCurrent(saved, 0)).name).toBe('second');
    expect((await c.domainSnapshotGetParent({ name: 'second', domain: saved }, 0)).name).toBe('first');
    expect((await c.networkLookupByName('private')).uuid).toBe('c7a5fdbd-cdaf-9455-926a-d65c16db1809');
    const pool = await c.storagePoolLookupByName('vmpool');
    expect(await c.storagePoolGetInfo(pool)).toEqual({ state: 2, capacity: 107374182400, allocation: 104857600, available: 107269324800 });
    expect((await c.storagePoolListAllVolumes(pool, 0)).map((v) => [v.name, v.key])).toEqual([
      ['saved.img', '/pool/saved.img'],
      ['data.img', '/pool/data.img'],
    ]);
    expect(await c.nodeGetCellsFreeMemory(0, 1).catch((e) => e.message)).toBe('invalid argument: Range exceeds available cells');
    await c.close();
  });

  it('gives every file open its own state', async () => {
    const a = await open(`test://${NODE}`);
    const b = await open(`test://${NODE}`);
    const fv0 = await a.domainLookupByName('fv0');
    await a.domainDestroy(fv0);
    expect((await b.domainGetState(fv0, 0)).state).toBe(1);
    await a.close();
    await b.close();
  });

  it('fails on a missing file or a root other than <node>', async () => {
    const [code] = await failure(open('test:///nonexistent/node.xml'));
    expect(code).toBe(1);
    const [, , msg] = await failure(open(`test://${join(__dirname, '../../../test/fixtures/testnode/net.xml')}`));
    expect(msg).toBe("XML error: Root element is not 'node'");
  });
});
