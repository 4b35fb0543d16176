/**
 * Push-mode backups on a running QEMU: a full backup, then three incremental ones each after
 * known guest writes, each from the previous checkpoint; plus one from the oldest checkpoint.
 */
import * as fs from 'node:fs';
import { DomainEventID, DomainJobType, DomainGetJobStatsFlags, ErrorNumber } from '@virtkit/core';
import { Backups, Checkpoints } from '../src/backup';
import { MiB, TestVm, dataExtents, imageBitmapNames, rebase, sameContent, throttledBackup, type Extent } from './backup-fixture';
import { rejection } from './helpers';

const pushXml = (target: string, incremental?: string, format = 'qcow2') =>
  `<domainbackup>${incremental ? `<incremental>${incremental}</incremental>` : ''}<disks>` +
  `<disk name='vda' type='file'><driver type='${format}'/><target file='${target}'/></disk></disks></domainbackup>`;
const chkXml = (name: string) => `<domaincheckpoint><name>${name}</name></domaincheckpoint>`;

describe('push backup on a running domain', () => {
  const vm = new TestVm(1, '64M');
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

  async function backup(name: string, incremental?: string, checkpoint?: string): Promise<string> {
    const file = vm.file(`${name}.qcow2`);
    await backups.begin(pushXml(file, incremental), checkpoint ? chkXml(checkpoint) : null, 0);
    await backups.settled();
    return file;
  }

  it('full, then incrementals holding exactly the dirty clusters, rebased equal the disk', async () => {
    await vm.io(0, 'write -P 0x11 0 3M');
    await vm.io(0, 'write -P 0x12 40M 2M');
    const full = await backup('full', undefined, 'c1');
    expect(vm.events.at(-1)).toMatchObject({
      eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
      params: { operation: 9, success: true, disk_total: 64 * MiB, disk_processed: 64 * MiB, disk_remaining: 0 },
    });
    const done = await backups.jobStats(DomainGetJobStatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED);
    expect(done.type).toBe(DomainJobType.VIR_DOMAIN_JOB_COMPLETED);
    expect((await backups.jobStats(DomainGetJobStatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED)).type).toBe(DomainJobType.VIR_DOMAIN_JOB_NONE);
    expect(imageBitmapNames(vm.disks[0]).map((b) => b.name)).toEqual([]); // still only in QEMU's memory
    await vm.flush();
    expect(sameContent(full, vm.disks[0])).toBe(true);

    const rounds: Array<{ writes: string[]; dirty: Extent[] }> = [
      { writes: ['write -P 0x5a 4M 1M'], dirty: [{ start: 4 * MiB, length: MiB }] },
      {
        // 100k at 8M spans two 64 KiB clusters; the 1M-4k write rewrites part of round one.
        writes: ['write -P 0x6b 8M 100k', 'write -P 0x6c 4100k 4k'],
        dirty: [
          { start: 4 * MiB, length: 64 * 1024 },
          { start: 8 * MiB, length: 128 * 1024 },
        ],
      },
      {
        writes: ['write -P 0x7c 32M 1M', 'write -z 41M 64k'],
        dirty: [
          { start: 32 * MiB, length: MiB },
          { start: 41 * MiB, length: 64 * 1024 },
        ],
      },
    ];
    const incs: string[] = [];
    for (const [i, round] of rounds.entries()) {
      for (const w of round.writes) await vm.io(0, w);
      const inc = await backup(`inc${i + 1}`, `c${i + 1}`, `c${i + 2}`);
      expect(vm.events.at(-1)!.params).toMatchObject({ success: true, disk_total: round.dirty.reduce((s, e) => s + e.length, 0) });
      const mapped = dataExtents(inc);
      // A zeroed cluster is stored as a zero cluster, which map lists as allocated but not data.
      expect(mapped).toEqual(round.dirty.filter((e) => !(e.start === 41 * MiB)));
      incs.push(inc);
    }
    rebase(incs[0], full);
    rebase(incs[1], incs[0]);
    rebase(incs[2], incs[1]);
    await vm.flush();
    expect(sameContent(incs[2], vm.disks[0])).toBe(true);
    // The chain without the last incremental differs from the disk (the test can fail).
    expect(sameContent(incs[1], vm.disks[0])).toBe(false);

    expect(await checkpoints.listAll(0)).toEqual(expect.arrayContaining(['c1', 'c2', 'c3', 'c4']));
    expect(await checkpoints.parent('c4')).toBe('c3');
  });

  it('an incremental from the oldest checkpoint covers every write since it', async () => {
    const since1 = await backup('since-c1', 'c1');
    expect(dataExtents(since1)).toEqual([
      { start: 4 * MiB, length: MiB },
      { start: 8 * MiB, length: 128 * 1024 },
      { start: 32 * MiB, length: MiB },
    ]);
    rebase(since1, vm.file('full.qcow2'));
    await vm.flush();
    expect(sameContent(since1, vm.disks[0])).toBe(true);
    // SIZE: dirty bytes since each checkpoint (the zeroed cluster counts as written).
    expect(await checkpoints.getXMLDesc('c1', 4 | 2)).toContain(
      `<disk name='vda' checkpoint='bitmap' bitmap='c1' size='${MiB + 128 * 1024 + MiB + 64 * 1024}'/>`,
    );
    expect(await checkpoints.getXMLDesc('c4', 4 | 2)).toContain(`size='0'`);
  });

  it('deleting a middle checkpoint removes only its bitmap; the others still back up', async () => {
    await checkpoints.delete('c2', 0);
    const nodes = await vm.qmp!.execute<Array<{ 'node-name': string; 'dirty-bitmaps'?: Array<{ name: string }> }>>(
      'query-named-block-nodes',
      { flat: true },
    );
    const bitmaps = nodes.find((n) => n['node-name'] === 'libvirt-1-format')!['dirty-bitmaps']!;
    const names = bitmaps.map((b) => b.name).sort();
    expect(names).toEqual(['c1', 'c3', 'c4']);
    expect(await checkpoints.parent('c3')).toBe('c1');
    await vm.io(0, 'write -P 0x42 60M 64k');
    const since3 = await backup('since-c3', 'c3');
    // c3 was taken with the second incremental: round three's writes and this one.
    expect(dataExtents(since3)).toEqual([
      { start: 32 * MiB, length: MiB },
      { start: 60 * MiB, length: 64 * 1024 },
    ]);
    const err = await rejection(backups.begin(pushXml(vm.file('x.qcow2'), 'c2'), null, 0));
    expect(err.code).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT);
  });

  it('raw targets, existing targets, a second job, and abort', async () => {
    const raw = vm.file('raw-full.img');
    await backups.begin(pushXml(raw, undefined, 'raw'), null, 0);
    const second = await rejection(backups.begin(pushXml(vm.file('y.qcow2')), null, 0));
    expect(second.message).toMatch(/another backup job is already running/);
    await backups.settled();
    await vm.flush();
    expect(sameContent(raw, vm.disks[0])).toBe(true);
    const exists = await rejection(backups.begin(pushXml(raw, undefined, 'raw'), null, 0));
    expect(exists.code).toBe(ErrorNumber.VIR_ERR_INVALID_ARG);
    expect(exists.message).toMatch(/store '.*raw-full.img' for backup of 'vda' exists/);

    // 48 MiB to copy at 1 byte/s: still running when aborted.
    await vm.io(0, 'write -P 0x99 0 48M');
    const target = vm.file('aborted.qcow2');
    await throttledBackup(vm, () => backups.begin(pushXml(target), null, 0));
    const running = await backups.jobStats(0);
    expect(running.type).toBe(DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED);
    expect(running.params.operation).toBe(9);
    expect(backups.getXMLDesc()).toContain(`<target file='${target}'/>`);
    await backups.abort();
    expect(vm.events.at(-1)!.params).toMatchObject({ success: false });
    expect((await backups.jobStats(DomainGetJobStatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED)).type).toBe(
      DomainJobType.VIR_DOMAIN_JOB_CANCELLED,
    );
    expect(fs.existsSync(target)).toBe(false);
    expect((await rejection(backups.abort())).code).toBe(ErrorNumber.VIR_ERR_OPERATION_INVALID);
  });
});
