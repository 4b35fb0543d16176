/** virDomainGetBlockInfo on qemu:///embed: sizes of a disk's image by target or path, and libvirt's error for others. */
import * as fs from 'node:fs';
import { ErrorNumber, type VirError } from '@virtkit/core';
import { cleanupRoot, domainXml, makeDisk, newRoot, openEmbed, rejection } from './driver-helpers';

it('reports capacity, allocation and physical size of a disk image', async () => {
  const root = newRoot();
  const conn = await openEmbed(root);
  try {
    const disk = makeDisk(root, 'vm.qcow2', '16M');
    const dom = await conn.defineXML(domainXml('blk', { disk }));
    const st = fs.statSync(disk);
    const expected = { capacity: 16 * 1024 * 1024, allocation: st.blocks * 512, physical: st.size };
    expect(await dom.getBlockInfo('hda')).toEqual(expected);
    expect(await dom.getBlockInfo(disk)).toEqual(expected);
    const e = (await rejection(dom.getBlockInfo('vdz'))) as VirError;
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, 'invalid argument: invalid path vdz not assigned to domain']);
  } finally {
    await cleanupRoot(root, conn);
  }
});
