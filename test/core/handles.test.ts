/**
 * Handles, as libvirt's test driver gives them: every lookup is a new object carrying the
 * object's name, UUID and id of that moment; nothing is cached, so a domain redefined under a
 * new name shows it on the next lookup, and a handle whose object is gone fails with the
 * not-found code of its kind.
 */
import { ErrorNumber, open, type Connect, type VirError } from '@virtkit/core';

const UUID = '5b2cd7e8-8c1c-4b8e-9d3e-0d3f3c9a1b11';
const domainXml = (name: string) =>
  `<domain type='test'><name>${name}</name><uuid>${UUID}</uuid><memory>1024</memory><os><type>hvm</type></os></domain>`;

async function codeOf(p: Promise<unknown>): Promise<number> {
  return p.then(
    () => 0,
    (e: VirError) => e.code,
  );
}

describe('handles', () => {
  let conn: Connect;
  beforeAll(async () => {
    conn = await open('test:///default');
  });
  afterAll(() => conn.close());

  it('are new objects on every lookup and list', async () => {
    const a = await conn.lookupByName('test');
    const b = await conn.lookupByName('test');
    const [c] = (await conn.listAllDomains()).filter((d) => d.getName() === 'test');
    expect(a).not.toBe(b);
    expect(c).not.toBe(a);
    expect([b.getName(), b.getUUIDString(), c.getUUIDString()]).toEqual(['test', a.getUUIDString(), a.getUUIDString()]);
  });

  it('show a domain redefined with the same UUID under its new name, and fail once it is gone', async () => {
    const first = await conn.defineXML(domainXml('first'));
    await first.undefine();
    expect(await codeOf(first.getInfo())).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN);
    await conn.defineXML(domainXml('second'));
    const again = await conn.lookupByUUIDString(UUID);
    expect(again.getName()).toBe('second');
    expect(first.getName()).toBe('first'); // a handle is a snapshot of the moment it was made
    await again.undefine();
    expect(await codeOf(again.getXMLDesc())).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN);
  });

  it('of snapshots, checkpoints, pools and volumes fail with their own not-found codes once gone', async () => {
    const dom = await conn.lookupByName('test');
    const snap = await dom.snapshotCreateXML('<domainsnapshot><name>gone</name></domainsnapshot>');
    await snap.delete();
    expect(await codeOf(snap.getXMLDesc())).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT);

    const chk = await dom.checkpointCreateXML('<domaincheckpoint><name>gone</name></domaincheckpoint>');
    await chk.delete();
    expect(await codeOf(chk.getXMLDesc())).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT);

    const pool = await conn.storagePoolLookupByName('default-pool');
    const vol = await pool.createXML("<volume><name>gone.img</name><capacity unit='MiB'>1</capacity></volume>");
    await vol.delete();
    expect(await codeOf(vol.getInfo())).toBe(ErrorNumber.VIR_ERR_NO_STORAGE_VOL);

    const p = await conn.storagePoolDefineXML("<pool type='dir'><name>gone</name><target><path>/gone</path></target></pool>");
    await p.undefine();
    expect(await codeOf(p.getInfo())).toBe(ErrorNumber.VIR_ERR_NO_STORAGE_POOL);
  });

  it("take the new id when they start or destroy their own domain, as libvirt's dom->id does", async () => {
    const dom = await conn.defineXML(domainXml('idle'));
    const other = await conn.lookupByName('idle');
    expect(dom.getID()).toBe(-1);
    await dom.create();
    const id = dom.getID();
    expect(id).toBeGreaterThan(0);
    expect(id).toBe((await conn.lookupByName('idle')).getID());
    expect(other.getID()).toBe(-1); // another handle keeps the id it was made with
    await dom.destroy();
    expect(dom.getID()).toBe(-1);
    await dom.createWithFlags(0);
    expect(dom.getID()).toBe((await conn.lookupByName('idle')).getID());
    expect(dom.getID()).not.toBe(id);
    await dom.destroyFlags(0);
    expect(dom.getID()).toBe(-1);
    await dom.undefine();
  });
});
