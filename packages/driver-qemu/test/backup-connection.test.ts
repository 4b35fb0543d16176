/**
 * Checkpoints and backups through a `qemu:///embed` connection and the public API: the job
 * lock, the JOB_COMPLETED event, and undefine's checkpoint-metadata rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainEventID,
  DomainQemuMonitorCommandFlags as M,
  DomainUndefineFlags as U,
  ErrorNumber,
  type Connect,
  type Domain,
  type DomainEvent,
  type VirError,
} from '@virtkit/core';
import { dataExtents, imageBitmapNames, MiB, rebase, sameContent } from './backup-fixture';
import { cleanupRoot, domainXml, makeDisk, newRoot, openEmbed, rejection } from './driver-helpers';

const pushXml = (target: string, incremental?: string) =>
  `<domainbackup>${incremental ? `<incremental>${incremental}</incremental>` : ''}<disks>` +
  `<disk name='hda' type='file'><driver type='qcow2'/><target file='${target}'/></disk></disks></domainbackup>`;

describe('checkpoints and backups on qemu:///embed', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;
  let disk: string;
  const completed: DomainEvent[] = [];
  /** The incremental backup rebased onto the full one. */
  let chain: string;

  beforeAll(async () => {
    root = newRoot();
    disk = makeDisk(root, 'vm.qcow2', '32M');
    conn = await openEmbed(root);
    await conn.domainEventRegisterAny(null, DomainEventID.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, (_c, _d, ev: DomainEvent) => {
      completed.push(ev);
    });
    dom = await conn.defineXML(domainXml('bk', { disk }));
    await dom.create();
  });
  afterAll(async () => cleanupRoot(root, conn));

  async function backup(name: string, incremental?: string, checkpoint?: string): Promise<string> {
    const file = path.join(root, `${name}.qcow2`);
    const before = completed.length;
    await dom.backupBegin(
      pushXml(file, incremental),
      checkpoint ? `<domaincheckpoint><name>${checkpoint}</name></domaincheckpoint>` : null,
    );
    const end = Date.now() + 20_000;
    while (completed.length === before) {
      if (Date.now() > end) throw new Error('no JOB_COMPLETED event');
      await new Promise((r) => setTimeout(r, 20));
    }
    return file;
  }

  const write = (pattern: string, offset: string, len: string) =>
    dom.qemuMonitorCommand(`qemu-io -d ide0-0-0 "write -P ${pattern} ${offset} ${len}"`, M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);

  it('full backup with a checkpoint, then an incremental holding exactly the dirty clusters', async () => {
    await write('0x11', '0', '2M');
    const full = await backup('full', undefined, 'c1');
    expect(completed.at(-1)).toMatchObject({
      params: { success: true, operation: 9 /* VIR_DOMAIN_JOB_OPERATION_BACKUP */, disk_total: 32 * MiB },
    });
    expect((await dom.listAllCheckpoints()).map((c) => c.getName())).toEqual(['c1']);

    await write('0x22', '8M', '64k');
    const inc = await backup('inc1', 'c1', 'c2');
    expect(dataExtents(inc)).toEqual([{ start: 8 * MiB, length: 64 * 1024 }]);
    expect((await dom.listAllCheckpoints()).map((c) => c.getName()).sort()).toEqual(['c1', 'c2']);

    // The incremental on top of the full backup is the disk as it was at c2 (no write since).
    rebase(inc, full);
    chain = inc;
  });

  it('refuses to undefine a domain with checkpoints unless asked to drop their metadata', async () => {
    await dom.destroy();
    expect(sameContent(chain, disk)).toBe(true);
    const refused = (await rejection(dom.undefine())) as VirError;
    expect(refused.code).toBe(ErrorNumber.VIR_ERR_OPERATION_INVALID);
    expect(refused.message).toBe('Requested operation is not valid: cannot delete inactive domain with 2 checkpoints');
    await dom.undefineFlags(U.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA);
    expect(fs.existsSync(path.join(root, 'lib', 'checkpoint', 'bk'))).toBe(false);
    // The bitmaps live on in the image: only the metadata went away.
    expect(
      imageBitmapNames(disk)
        .map((b) => b.name)
        .sort(),
    ).toEqual(['c1', 'c2']);
  });
});
