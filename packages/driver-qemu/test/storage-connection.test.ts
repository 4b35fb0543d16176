/**
 * Dir storage reached through a `qemu:///embed` connection: pools and volumes persist under the
 * root and come back, autostarted, for a connection from a new driver state.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorNumber, type VirError } from '@virtkit/core';
import { cleanupRoot, newRoot, openEmbed, rejection } from './driver-helpers';

describe('storage on qemu:///embed', () => {
  let root: string;

  beforeAll(() => {
    root = newRoot();
  });
  afterAll(async () => cleanupRoot(root));

  it('defines, builds and starts a dir pool, creates a qcow2 volume on a backing store; all survives reopening', async () => {
    const poolDir = path.join(root, 'images');
    let conn = await openEmbed(root);
    const pool = await conn.storagePoolDefineXML(`<pool type='dir'><name>imgs</name><target><path>${poolDir}</path></target></pool>`);
    await pool.build();
    await pool.create();
    await pool.setAutostart(true);
    const base = await pool.createXML(
      `<volume><name>base.qcow2</name><capacity unit='MiB'>16</capacity><target><format type='qcow2'/></target></volume>`,
    );
    const top = await pool.createXML(
      `<volume><name>top.qcow2</name><capacity unit='MiB'>16</capacity><target><format type='qcow2'/></target>` +
        `<backingStore><path>${await base.getPath()}</path><format type='qcow2'/></backingStore></volume>`,
    );
    const info = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', await top.getPath()], { encoding: 'utf8' }));
    expect(info['backing-filename']).toBe(path.join(poolDir, 'base.qcow2'));
    expect(info['virtual-size']).toBe(16 * 1024 * 1024);
    await conn.close();

    // The last close dropped the driver state; the next open loads the pool back from disk.
    conn = await openEmbed(root);
    const again = await conn.storagePoolLookupByName('imgs');
    expect(await again.isActive()).toBe(true);
    expect(await again.getAutostart()).toBe(true);
    expect((await again.listAllVolumes()).map((v) => v.getName()).sort()).toEqual(['base.qcow2', 'top.qcow2']);
    const vol = await again.storageVolLookupByName('top.qcow2');
    expect(await vol.getXMLDesc()).toContain(`<path>${path.join(poolDir, 'base.qcow2')}</path>`);
    expect(fs.existsSync(path.join(root, 'etc', 'storage', 'imgs.xml'))).toBe(true);

    const refused = (await rejection(again.undefine())) as VirError;
    expect(refused.code).toBe(ErrorNumber.VIR_ERR_OPERATION_INVALID);
    await conn.close();
  });
});
