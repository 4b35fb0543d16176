/**
 * Snapshots through a `qemu:///embed` connection and the public API: internal snapshots of a
 * running domain, revert restoring the disk, list filters, and undefine's metadata rule.
 */
import { execFileSync } from 'node:child_process';
import {
  ConnectListAllDomainsFlags as L, DomainQemuMonitorCommandFlags as M, DomainSnapshotRevertFlags as R,
  DomainUndefineFlags as U, ErrorNumber, type Connect, type Domain, type VirError,
} from '@virtkit/core';
import { cleanupRoot, domainXml, makeDisk, newRoot, openEmbed, recordLifecycle, rejection } from './driver-helpers';

const SUSPENDED_FROM_SNAPSHOT = [3, 5];
const RESUMED_FROM_SNAPSHOT = [4, 2];

describe('snapshots on qemu:///embed', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;
  let disk: string;

  beforeAll(async () => {
    root = newRoot();
    disk = makeDisk(root, 'vm.qcow2', '16M');
    conn = await openEmbed(root);
    dom = await conn.defineXML(domainXml('snap', { disk }));
    await dom.create();
  });
  afterAll(async () => cleanupRoot(root, conn));

  const write = (pattern: string) =>
    dom.qemuMonitorCommand(`qemu-io -d ide0-0-0 "write -P ${pattern} 0 64k"`, M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);

  it('takes internal snapshots of the running domain and reverts the disk to one', async () => {
    await write('0x11');
    await dom.snapshotCreateXML('<domainsnapshot><name>s1</name></domainsnapshot>');
    await write('0x22');
    const s2 = await dom.snapshotCreateXML('<domainsnapshot><name>s2</name></domainsnapshot>');
    expect((await dom.listAllSnapshots()).map((s) => s.getName()).sort()).toEqual(['s1', 's2']);
    expect((await s2.getParent()).getName()).toBe('s1');
    expect((await dom.snapshotCurrent()).getName()).toBe('s2');
    expect((await conn.listAllDomains(L.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT)).map((d) => d.getName())).toEqual(['snap']);

    const events = await recordLifecycle(conn);
    const s1 = (await dom.listAllSnapshots()).find((s) => s.getName() === 's1')!;
    await s1.revert(R.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING);
    expect((await dom.snapshotCurrent()).getName()).toBe('s1');
    expect(await dom.isActive()).toBe(true);
    expect(events).toEqual([['snap', ...SUSPENDED_FROM_SNAPSHOT], ['snap', ...RESUMED_FROM_SNAPSHOT]]);
    await dom.destroy();
    // The disk holds s1's data again, and both snapshots are still in the image.
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'read -P 0x11 0 64k', disk]);
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', disk], { encoding: 'utf8' }));
    expect(info.snapshots.map((s: { name: string }) => s.name).sort()).toEqual(['s1', 's2']);
  });

  it('refuses to undefine a domain with snapshots unless asked to drop their metadata', async () => {
    const refused = (await rejection(dom.undefine())) as VirError;
    expect(refused.code).toBe(ErrorNumber.VIR_ERR_OPERATION_INVALID);
    expect(refused.message).toBe('Requested operation is not valid: cannot delete inactive domain with 2 snapshots');
    await dom.undefineFlags(U.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    expect(await conn.listAllDomains()).toEqual([]);
  });
});
