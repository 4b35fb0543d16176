/**
 * Pull-mode backups: NBD exports of fleecing overlays, with the checkpoint's changes as the
 * `qemu:dirty-bitmap:` meta context; unix socket and TCP servers.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { DomainJobType, DomainGetJobStatsFlags } from '@virtkit/core';
import { Backups, Checkpoints } from '../src/backup';
import { MiB, TestVm, nbdDirtyExtents } from './backup-fixture';

describe('pull backup on a running domain', () => {
  const vm = new TestVm(2, '32M');
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

  const nbd = (socket: string, exp: string, bitmap?: string) =>
    `driver=nbd,server.type=unix,server.path=${socket},export=${exp}${bitmap ? `,x-dirty-bitmap=qemu:dirty-bitmap:${bitmap}` : ''}`;
  const readPattern = (opts: string, cmd: string) => execFileSync('qemu-io', ['-r', '--image-opts', opts, '-c', cmd], { encoding: 'utf8' });

  it('exports exactly the dirty extents since the checkpoint, frozen at the start', async () => {
    await vm.io(0, 'write -P 0x01 0 8M');
    await checkpoints.create(`<domaincheckpoint><name>c1</name></domaincheckpoint>`, 0);
    await vm.io(0, 'write -P 0x5a 4M 1M');
    await vm.io(0, 'write -P 0x5b 20M 192k');
    await vm.io(1, 'write -P 0x5c 1M 64k');
    const socket = vm.file('nbd.sock');
    const scratch = vm.file('scratch-vda.qcow2');
    await backups.begin(
      `<domainbackup mode='pull'><incremental>c1</incremental><server transport='unix' socket='${socket}'/>` +
        `<disks><disk name='vda' type='file'><scratch file='${scratch}'/></disk></disks></domainbackup>`,
      `<domaincheckpoint><name>c2</name></domaincheckpoint>`,
      0,
    );
    // Writes after the start are neither in the bitmap nor visible through the export.
    await vm.io(0, 'write -P 0x77 4M 64k');
    await vm.io(0, 'write -P 0x77 28M 64k');
    expect(nbdDirtyExtents(nbd(socket, 'vda', 'backup-vda'))).toEqual([
      { start: 4 * MiB, length: MiB },
      { start: 20 * MiB, length: 192 * 1024 },
    ]);
    expect(readPattern(nbd(socket, 'vda'), 'read -P 0x5a 4M 1M')).toMatch(/read 1048576\/1048576/);
    expect(readPattern(nbd(socket, 'vda'), 'read -P 0x5a 4M 1M')).not.toMatch(/Pattern verification failed/);
    const xml = backups.getXMLDesc();
    expect(xml).toContain(`<server transport='unix' socket='${socket}'/>`);
    expect(xml).toContain(
      `<disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='c1' exportname='vda' exportbitmap='backup-vda'>`,
    );
    expect(xml).toContain(`<scratch file='${scratch}'/>`);
    expect(xml).toContain(`<disk name='vdb' backup='no'/>`);
    const stats = await backups.jobStats(0);
    expect(stats.type).toBe(DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED);
    expect(Number(stats.params.disk_temp_used)).toBeGreaterThanOrEqual(128 * 1024); // the two overwritten clusters
    expect(stats.params.disk_temp_total).toBe(32 * MiB);

    await backups.abort();
    expect(vm.events.at(-1)!.params).toMatchObject({ operation: 9, success: true });
    expect((await backups.jobStats(DomainGetJobStatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED)).type).toBe(
      DomainJobType.VIR_DOMAIN_JOB_COMPLETED,
    );
    expect(fs.existsSync(scratch)).toBe(false);
    expect(fs.existsSync(socket)).toBe(false);
    const nodes = await vm.qmp!.execute<Array<{ 'node-name': string; 'dirty-bitmaps'?: Array<{ name: string }> }>>(
      'query-named-block-nodes',
      { flat: true },
    );
    const bitmaps = nodes.find((n) => n['node-name'] === 'libvirt-2-format')!['dirty-bitmaps']!.map((b) => b.name);
    expect(bitmaps.sort()).toEqual(['c1', 'c2']);
    // The new checkpoint started with the job: it saw the two later writes.
    expect(await checkpoints.getXMLDesc('c2', 4 | 2)).toContain(`<disk name='vda' checkpoint='bitmap' bitmap='c2' size='${128 * 1024}'/>`);
  });

  it('full pull export over TCP with a default port', async () => {
    await backups.begin(`<domainbackup mode='pull'><server name='127.0.0.1'/><disks><disk name='vdb'/></disks></domainbackup>`, null, 0);
    const port = /port='(\d+)'/.exec(backups.getXMLDesc())![1];
    expect(Number(port)).toBeGreaterThanOrEqual(10809);
    const out = execFileSync(
      'qemu-io',
      [
        '-r',
        '--image-opts',
        `driver=nbd,server.type=inet,server.host=127.0.0.1,server.port=${port},export=vdb`,
        '-c',
        'read -P 0x5c 1M 64k',
      ],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/read 65536\/65536/);
    expect(out).not.toMatch(/verification failed/);
    await backups.abort();
  });
});
