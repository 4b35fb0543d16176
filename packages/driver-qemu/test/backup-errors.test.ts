/** A broken bitmap fails only the backups that need its checkpoint. */
import * as fs from 'node:fs';
import { DomainCheckpointCreateFlags, ErrorDomain, ErrorNumber } from '@virtkit/core';
import { Backups, Checkpoints } from '../src/backup';
import { MiB, TestVm, dataExtents, imageBitmapNames, markBitmapInUse, throttledBackup } from './backup-fixture';
import { rejection } from './helpers';

const pushXml = (target: string, incremental: string) =>
  `<domainbackup><incremental>${incremental}</incremental><disks><disk name='vda' type='file'><target file='${target}'/></disk></disks></domainbackup>`;

describe('broken bitmaps', () => {
  const vm = new TestVm(1, '32M');
  let checkpoints: Checkpoints;
  let backups: Backups;

  beforeAll(async () => {
    await vm.start();
    checkpoints = new Checkpoints(vm.ctx());
    backups = new Backups(vm.ctx(), checkpoints);
  });
  afterAll(async () => {
    await vm.stop();
    await vm.cleanup();
  });

  it('a missing bitmap fails its checkpoint only (running)', async () => {
    for (const c of ['c1', 'c2', 'c3']) {
      await checkpoints.create(`<domaincheckpoint><name>${c}</name></domaincheckpoint>`, 0);
      await vm.io(0, `write -P 0x2${c[1]} ${c[1]}M 64k`);
    }
    await vm.qmp!.execute('block-dirty-bitmap-remove', { node: 'libvirt-1-format', name: 'c1' });
    const target = vm.file('from-c1.qcow2');
    const err = await rejection(backups.begin(pushXml(target, 'c1'), null, 0));
    expect(err).toMatchObject({ code: ErrorNumber.VIR_ERR_CHECKPOINT_INCONSISTENT, domain: ErrorDomain.VIR_FROM_QEMU });
    expect(err.message).toBe("checkpoint inconsistent: missing or broken bitmap 'c1' for disk 'vda'");
    expect(fs.existsSync(target)).toBe(false);
    expect(backups.active).toBe(false);
    await backups.begin(pushXml(vm.file('from-c2.qcow2'), 'c2'), null, 0);
    await backups.settled();
    expect(dataExtents(vm.file('from-c2.qcow2'))).toEqual([
      { start: 2 * MiB, length: 64 * 1024 },
      { start: 3 * MiB, length: 64 * 1024 },
    ]);
    const redefine = await checkpoints.getXMLDesc('c1', 0);
    const v =
      DomainCheckpointCreateFlags.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
      DomainCheckpointCreateFlags.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE;
    expect((await rejection(checkpoints.create(redefine, v))).code).toBe(ErrorNumber.VIR_ERR_CHECKPOINT_INCONSISTENT);
    expect(await checkpoints.create(await checkpoints.getXMLDesc('c2', 0), v)).toBe('c2');
  });

  it('an inconsistent bitmap (unclean exit) fails its checkpoint only (shut off)', async () => {
    await vm.stop();
    markBitmapInUse(vm.disks[0], 'c2');
    const flags = Object.fromEntries(imageBitmapNames(vm.disks[0]).map((b) => [b.name, [...b.flags].sort()]));
    expect(flags).toEqual({ c2: ['auto', 'in-use'], c3: ['auto'] });
    const err = await rejection(backups.begin(pushXml(vm.file('off-c2.qcow2'), 'c2'), null, 0));
    expect(err.code).toBe(ErrorNumber.VIR_ERR_CHECKPOINT_INCONSISTENT);
    expect(err.message).toMatch(/missing or broken bitmap 'c2' for disk 'vda'/);
    await backups.begin(pushXml(vm.file('off-c3.qcow2'), 'c3'), null, 0);
    await backups.settled();
    expect(vm.events.at(-1)!.params).toMatchObject({ success: true });
    expect(dataExtents(vm.file('off-c3.qcow2'))).toEqual([{ start: 3 * MiB, length: 64 * 1024 }]);
  });

  it('QEMU dying mid-job fails the job, reports the error and removes the partial target', async () => {
    await vm.start();
    await vm.io(0, 'write -P 0x99 0 24M');
    const target = vm.file('killed.qcow2');
    await throttledBackup(vm, () =>
      backups.begin(`<domainbackup><disks><disk name='vda' type='file'><target file='${target}'/></disk></disks></domainbackup>`, null, 0),
    );
    await vm.kill();
    await backups.settled();
    expect(vm.events.at(-1)!.params).toMatchObject({ success: false, errmsg: 'QEMU process exited' });
    expect(fs.existsSync(target)).toBe(false);
    expect(backups.active).toBe(false);
  });
});
