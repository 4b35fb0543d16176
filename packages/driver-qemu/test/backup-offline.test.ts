/** Backups of a shut-off domain: the same API, run by a qemu-storage-daemon on the images. */
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Backups, Checkpoints } from '../src/backup';
import { MiB, TestVm, dataExtents, imageBitmapNames, nbdDirtyExtents, rebase, sameContent } from './backup-fixture';

describe('backup of a shut-off domain', () => {
  const vm = new TestVm(1, '32M');
  const checkpoints = new Checkpoints(vm.ctx());
  const backups = new Backups(vm.ctx(), checkpoints);
  afterAll(async () => {
    await vm.stop();
    await vm.cleanup();
  });

  it('full push with a checkpoint, incremental push after writes, then a pull export', async () => {
    await vm.start();
    await vm.io(0, 'write -P 0x10 0 2M');
    await vm.stop();

    const full = vm.file('full.qcow2');
    await backups.begin(
      `<domainbackup><disks><disk name='vda' type='file'><target file='${full}'/></disk></disks></domainbackup>`,
      `<domaincheckpoint><name>c1</name></domaincheckpoint>`,
      0,
    );
    await backups.settled();
    expect(vm.events.at(-1)!.params).toMatchObject({ success: true, disk_total: 32 * MiB });
    expect(sameContent(full, vm.disks[0])).toBe(true);
    // The daemon quit cleanly: the new bitmap is in the image, recording and consistent.
    expect(imageBitmapNames(vm.disks[0])).toEqual([{ name: 'c1', flags: ['auto'] }]);

    await vm.start();
    await vm.io(0, 'write -P 0x5a 4M 1M');
    await vm.io(0, 'write -P 0x5b 30M 64k');
    await vm.stop();

    const inc = vm.file('inc.qcow2');
    await backups.begin(
      `<domainbackup><incremental>c1</incremental><disks><disk name='vda' type='file'><target file='${inc}'/></disk></disks></domainbackup>`,
      null,
      0,
    );
    await backups.settled();
    expect(dataExtents(inc)).toEqual([
      { start: 4 * MiB, length: MiB },
      { start: 30 * MiB, length: 64 * 1024 },
    ]);
    rebase(inc, full);
    expect(sameContent(inc, vm.disks[0])).toBe(true);

    const socket = vm.file('nbd.sock');
    await backups.begin(
      `<domainbackup mode='pull'><incremental>c1</incremental><server transport='unix' socket='${socket}'/><disks><disk name='vda'/></disks></domainbackup>`,
      null,
      0,
    );
    expect(
      nbdDirtyExtents(`driver=nbd,server.type=unix,server.path=${socket},export=vda,x-dirty-bitmap=qemu:dirty-bitmap:backup-vda`),
    ).toEqual([
      { start: 4 * MiB, length: MiB },
      { start: 30 * MiB, length: 64 * 1024 },
    ]);
    const scratch = /<scratch file='([^']+)'/.exec(backups.getXMLDesc())![1];
    expect(scratch.startsWith(`${vm.disks[0]}.`)).toBe(true);
    await backups.abort();
    expect(fs.existsSync(scratch)).toBe(false);
    expect(backups.active).toBe(false);
    // The image is free again: nothing holds its lock.
    execFileSync('qemu-img', ['check', vm.disks[0]]);
    expect(imageBitmapNames(vm.disks[0])).toEqual([{ name: 'c1', flags: ['auto'] }]);
  });
});
