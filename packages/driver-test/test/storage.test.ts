import { VirStream } from '@virtkit/core';
import { testIf } from '@virtkit/testkit';
import { failure, open, virsh } from './helpers';
import type { TestConnection } from '../src/connection';

let c: TestConnection;
beforeEach(async () => {
  c = await open();
});
afterEach(async () => {
  await c.close();
});

const VOL = (name: string, cap = "<capacity unit='M'>10</capacity>") =>
  `<volume><name>${name}</name>${cap}<allocation>4096</allocation></volume>`;
const POOL = (name: string, path: string) => `<pool type='dir'><name>${name}</name><target><path>${path}</path></target></pool>`;

describe('storage pools', () => {
  it("defines, builds, starts, stops and undefines pools with libvirt's rules", async () => {
    const p = await c.storagePoolDefineXML(POOL('p1', '/p1'), 0);
    expect(await c.storagePoolIsActive(p)).toBe(false);
    expect(await c.storagePoolIsPersistent(p)).toBe(true);
    expect(await c.connectListDefinedStoragePools(10)).toEqual(['p1']);
    await c.storagePoolBuild(p, 0);
    await c.storagePoolCreate(p, 0);
    expect(await failure(c.storagePoolCreate(p, 0))).toEqual([55, 12, "Requested operation is not valid: storage pool 'p1' is active"]);
    expect(await failure(c.storagePoolUndefine(p))).toEqual([55, 12, "Requested operation is not valid: storage pool 'p1' is active"]);
    await c.storagePoolRefresh(p, 0);
    await c.storagePoolSetAutostart(p, true);
    expect(await c.storagePoolGetAutostart(p)).toBe(true);
    await c.storagePoolDestroy(p);
    expect(await failure(c.storagePoolRefresh(p, 0))).toEqual([
      55,
      12,
      "Requested operation is not valid: storage pool 'p1' is not active",
    ]);
    await c.storagePoolDelete(p, 0);
    await c.storagePoolUndefine(p);
    expect(await failure(c.storagePoolLookupByName('p1'))).toEqual([
      49,
      12,
      "Storage pool not found: no storage pool with matching name 'p1'",
    ]);
  });

  it('creates transient pools that vanish on destroy, and refuses duplicates', async () => {
    const t = await c.storagePoolCreateXML(POOL('t1', '/t1'), 0);
    expect(await c.storagePoolIsPersistent(t)).toBe(false);
    expect(await failure(c.storagePoolSetAutostart(t, true))).toEqual([8, 12, 'invalid argument: pool has no config file']);
    expect(await failure(c.storagePoolDefineXML(POOL('t1', '/t2'), 0))).toEqual([
      9,
      18,
      expect.stringMatching(/^operation failed: pool 't1' already exists with uuid /),
    ]);
    await c.storagePoolDestroy(t);
    expect(await failure(c.storagePoolLookupByUUIDString(t.uuid))).toEqual([
      49,
      12,
      `Storage pool not found: no storage pool with matching uuid '${t.uuid}'`,
    ]);
  });

  it('filters listAllStoragePools by every group', async () => {
    await c.storagePoolDefineXML(POOL('inact', '/inact'), 0);
    await c.storagePoolCreateXML(
      `<pool type='logical'><name>trans</name><source><name>vg</name></source><target><path>/dev/vg</path></target></pool>`,
      0,
    );
    const names = async (f: number) => (await c.connectListAllStoragePools(f)).map((p) => p.name).sort();
    expect(await names(0)).toEqual(['default-pool', 'inact', 'trans']);
    expect(await names(1)).toEqual(['inact']);
    expect(await names(2)).toEqual(['default-pool', 'trans']);
    expect(await names(4)).toEqual(['default-pool', 'inact']);
    expect(await names(8)).toEqual(['trans']);
    expect(await names(16)).toEqual([]);
    expect(await names(32)).toEqual(['default-pool', 'inact', 'trans']);
    expect(await names(64)).toEqual(['default-pool', 'inact']);
    expect(await names(512)).toEqual(['trans']);
    expect(await names(2 | 64)).toEqual(['default-pool']);
  });
});

describe('storage volumes', () => {
  it('creates, clones, looks up, inspects and deletes volumes', async () => {
    const pool = await c.storagePoolLookupByName('default-pool');
    const v1 = await c.storageVolCreateXML(pool, VOL('v1'), 0);
    expect(v1).toEqual({ pool: 'default-pool', name: 'v1', key: '/default-pool/v1' });
    expect(await failure(c.storageVolCreateXML(pool, VOL('v1'), 0))).toEqual([9, 12, 'operation failed: storage vol already exists']);
    expect(await c.storageVolGetInfo(v1)).toEqual({ type: 0, capacity: 10485760, allocation: 4096 });
    expect(await c.storageVolGetPath(v1)).toBe('/default-pool/v1');
    expect(await c.storageVolLookupByPath('/default-pool/v1')).toEqual(v1);
    expect(await c.storageVolLookupByKey('/default-pool/v1')).toEqual(v1);
    expect(await failure(c.storageVolLookupByKey('/nope'))).toEqual([
      50,
      12,
      "Storage volume not found: no storage vol with matching key '/nope'",
    ]);
    expect(await c.storagePoolGetInfo(pool)).toMatchObject({ allocation: 4096, available: 107374182400 - 4096 });
    const v2 = await c.storageVolCreateXMLFrom(pool, VOL('v2'), v1, 0);
    expect(await c.storagePoolNumOfVolumes(pool)).toBe(2);
    expect((await c.storagePoolListAllVolumes(pool, 0)).map((v) => v.name)).toEqual(['v1', 'v2']);
    expect(await c.storagePoolLookupByVolume(v2)).toEqual(pool);
    await c.storageVolDelete(v2, 0);
    expect(await failure(c.storageVolGetInfo(v2))).toEqual([50, 12, "Storage volume not found: no storage vol with matching name 'v2'"]);
    expect(
      await failure(
        c.storageVolCreateXML(
          pool,
          VOL('big', "<capacity unit='T'>1</capacity><allocation unit='T'>1</allocation>").replace('<allocation>4096</allocation>', ''),
          0,
        ),
      ),
    ).toEqual([1, 12, "internal error: Not enough free space in pool for volume 'big'"]);
  });

  testIf('virsh')('formats volume XML as libvirt', async () => {
    const pool = await c.storagePoolLookupByName('default-pool');
    const v1 = await c.storageVolCreateXML(pool, VOL('v1'), 0);
    const out = virsh('vol-create-as default-pool v1 10M --allocation 4096; vol-dumpxml --pool default-pool v1');
    const real = out.slice(out.indexOf('<volume')).trimEnd();
    expect((await c.storageVolGetXMLDesc(v1, 0)).trimEnd()).toBe(real);
  });

  it('keeps contents in memory: upload, download, wipe, resize', async () => {
    const pool = await c.storagePoolLookupByName('default-pool');
    const v = await c.storageVolCreateXML(pool, VOL('v1', '<capacity>16</capacity>').replace('4096', '0'), 0);
    const up = new VirStream();
    const done = c.storageVolUpload(v, up, 2, 0, 0);
    up.send(Buffer.from('hello'));
    up.finish();
    await done;
    const down = new VirStream();
    await c.storageVolDownload(v, down, 0, 8, 0);
    expect((await down.receiveAll()).toString('hex')).toBe('000068656c6c6f00');
    const copy = await c.storageVolCreateXMLFrom(pool, VOL('v2', '<capacity>16</capacity>').replace('4096', '0'), v, 0);
    const d2 = new VirStream();
    await c.storageVolDownload(copy, d2, 2, 5, 0);
    expect((await d2.receiveAll()).toString()).toBe('hello');
    await c.storageVolWipe(v, 0);
    const d3 = new VirStream();
    await c.storageVolDownload(v, d3, 0, 0, 0);
    expect(await d3.receiveAll()).toEqual(Buffer.alloc(16));
    expect(await failure(c.storageVolResize(v, 8, 0))).toEqual([
      8,
      12,
      "invalid argument: Can't shrink capacity below current capacity unless shrink flag explicitly specified",
    ]);
    await c.storageVolResize(v, 1024, 0);
    expect((await c.storageVolGetInfo(v)).capacity).toBe(1024);
    await c.storageVolResize(v, 1024, 2 | 1);
    expect(await c.storageVolGetInfo(v)).toEqual({ type: 0, capacity: 2048, allocation: 2048 });
  });
});
