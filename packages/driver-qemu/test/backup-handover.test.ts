/**
 * Push backups outlive the embed process that began them (their record is kept in the status
 * file): the next driver opening the root cleans up a backup that ended meanwhile (QEMU's job
 * dismissed, its target nodes deleted, the outcome kept for the completed-job statistics) and
 * follows one still running to its end, so the next backup can begin.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainEventID, DomainGetJobStatsFlags as J, DomainJobType, type Connect, type Domain, type DomainEvent } from '@virtkit/core';
import { QmpClient } from '../src/qmp/client';
import { sameContent } from './backup-fixture';
import { embedCall } from './embed-child';
import { cleanupRoot, domainXml, driverOf, makeDisk, newRoot, openEmbed, until } from './driver-helpers';

const pushXml = (target: string) =>
  `<domainbackup><disks><disk name='hda' type='file'><driver type='qcow2'/><target file='${target}'/></disk></disks></domainbackup>`;

interface QemuJob {
  id: string;
  status: string;
}

describe('push backups begun by a process that exited', () => {
  let root: string;
  let disk: string;
  let monitor: string;
  let conn: Connect | undefined;

  beforeEach(async () => {
    root = newRoot();
    disk = makeDisk(root, 'vm.qcow2', '128M');
    // Data to copy: a backup of it takes long enough to be throttled before it ends.
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 96M', disk]);
    const c = await openEmbed(root);
    await (await c.defineXML(domainXml('vm', { disk }))).create();
    monitor = driverOf(c).manager.domains.get('vm')!.monitorPath!;
    await c.close();
  });
  afterEach(async () => {
    await cleanupRoot(root, conn);
    conn = undefined;
  });

  /** QEMU's jobs, asked on the monitor while no driver holds it. */
  async function qemuJobs(): Promise<QemuJob[]> {
    const qmp = await QmpClient.connect(monitor);
    try {
      return await qmp.execute<QemuJob[]>('query-jobs');
    } finally {
      await qmp.close();
    }
  }

  async function reopen(): Promise<{ dom: Domain; completed: DomainEvent[] }> {
    conn = await openEmbed(root);
    const completed: DomainEvent[] = [];
    await conn.domainEventRegisterAny(null, DomainEventID.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, (_c, _d, e: DomainEvent) => {
      completed.push(e);
    });
    return { dom: await conn.lookupByName('vm'), completed };
  }

  async function nodeNames(dom: Domain): Promise<string[]> {
    const reply = JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-named-block-nodes","arguments":{"flat":true}}'));
    return (reply.return as Array<{ 'node-name': string }>).map((n) => n['node-name']);
  }

  it('one that ended meanwhile is cleaned up by the next opener, and the next backup runs', async () => {
    const first = path.join(root, 'b1.qcow2');
    expect(embedCall(root, ['vm', 'backup-begin', pushXml(first)]).done).toBe(true);
    await until(async () => (await qemuJobs()).every((j) => j.status === 'concluded'), 30_000);

    const { dom, completed } = await reopen();
    expect(await nodeNames(dom)).not.toContain('vk-backup-hda');
    expect(await jobsThrough(dom)).toEqual([]);
    const stats = await dom.getJobStats(J.VIR_DOMAIN_JOB_STATS_COMPLETED);
    expect(stats).toMatchObject({ type: DomainJobType.VIR_DOMAIN_JOB_COMPLETED, params: { success: true } });
    expect(sameContent(first, disk)).toBe(true);

    const second = path.join(root, 'b2.qcow2');
    await dom.backupBegin(pushXml(second), null);
    await until(() => completed.length > 0, 30_000);
    expect(completed[0]).toMatchObject({ params: { success: true } });
    expect(sameContent(second, disk)).toBe(true);
  });

  it('one still running is followed by the next opener to its end', async () => {
    const first = path.join(root, 'b1.qcow2');
    expect(embedCall(root, ['vm', 'backup-begin', pushXml(first), 'slow']).done).toBe(true);
    const [job] = await qemuJobs();
    expect(job.status).toBe('running');

    const { dom, completed } = await reopen();
    expect((await dom.getJobStats(0)).type).toBe(DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED);
    expect(await dom.backupGetXMLDesc()).toContain(`<target file='${first}'/>`);
    await dom.qemuMonitorCommand(JSON.stringify({ execute: 'block-job-set-speed', arguments: { device: job.id, speed: 0 } }));
    await until(() => completed.length > 0, 30_000);
    expect(completed[0]).toMatchObject({ params: { success: true } });
    expect(await nodeNames(dom)).not.toContain('vk-backup-hda');
    expect(sameContent(first, disk)).toBe(true);

    const second = path.join(root, 'b2.qcow2');
    await dom.backupBegin(pushXml(second), null);
    await until(() => completed.length > 1, 30_000);
    expect(completed[1]).toMatchObject({ params: { success: true } });
  });
});

/** QEMU's jobs, asked through the connection's monitor. */
async function jobsThrough(dom: Domain): Promise<QemuJob[]> {
  return JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-jobs"}')).return;
}

describe('an offline backup begun by a process that exits', () => {
  let root: string;
  let conn: Connect | undefined;

  afterEach(async () => {
    await cleanupRoot(root, conn);
    conn = undefined;
  });

  /** Processes whose command line names `dir` (a storage daemon left holding the images). */
  function processesUsing(dir: string): string[] {
    return fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .flatMap((p) => {
        try {
          const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
          return cmd.startsWith('qemu-storage-daemon') && cmd.includes(dir) ? [cmd] : [];
        } catch {
          return [];
        }
      });
  }

  it('is finished before the process exits: no storage daemon left, the backup whole, the domain startable', async () => {
    root = newRoot();
    const disk = makeDisk(root, 'vm.qcow2', '64M');
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 32M', disk]);
    const c = await openEmbed(root);
    await c.defineXML(domainXml('vm', { disk }));
    await c.close();

    const target = path.join(root, 'b1.qcow2');
    expect(embedCall(root, ['vm', 'backup-begin', pushXml(target)]).done).toBe(true);
    expect(processesUsing(root)).toEqual([]);
    expect(sameContent(target, disk)).toBe(true);
    conn = await openEmbed(root);
    await (await conn.lookupByName('vm')).create();
  });
});
