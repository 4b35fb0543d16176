/**
 * Snapshots through a `qemu:///embed` connection and the public API: internal snapshots of a
 * running domain, revert restoring the disk, list filters, and undefine's metadata rule.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  ConnectListAllDomainsFlags as L,
  DomainQemuMonitorCommandFlags as M,
  DomainSnapshotCreateFlags as CF,
  DomainSnapshotRevertFlags as R,
  DomainUndefineFlags as U,
  ErrorNumber,
  type Connect,
  type Domain,
  type VirError,
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
    expect(events).toEqual([
      ['snap', ...SUSPENDED_FROM_SNAPSHOT],
      ['snap', ...RESUMED_FROM_SNAPSHOT],
    ]);
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

/**
 * Deleting external snapshots as libvirt 9.0 does: the overlay a snapshot created is merged into
 * the image it was made on and deleted — a commit below the active layer when the snapshot has
 * a child (whose overlay then sits on that image), an active commit with pivot for the current
 * one; QMP while running, qemu-img shut off — and the parent becomes current.
 */
describe('external snapshot deletion on qemu:///embed', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;
  let disk: string;
  const overlayOf = (name: string) => disk.replace(/qcow2$/, name);
  const external = (name: string) =>
    dom.snapshotCreateXML(`<domainsnapshot><name>${name}</name></domainsnapshot>`, CF.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
  const read = (file: string, pattern: string, offset: string) =>
    execFileSync('qemu-io', ['-f', 'qcow2', '-r', '-c', `read -P ${pattern} ${offset} 64k`, file], { encoding: 'utf8' });
  const diskSource = async () => /<source file='([^']+)'/.exec(await dom.getXMLDesc())![1];
  const chainOf = (file: string) =>
    (
      JSON.parse(execFileSync('qemu-img', ['info', '-U', '--backing-chain', '--output=json', file], { encoding: 'utf8' })) as Array<{
        filename: string;
      }>
    ).map((i) => i.filename);

  beforeEach(async () => {
    root = newRoot();
    disk = makeDisk(root, 'vm.qcow2', '16M');
    conn = await openEmbed(root);
    dom = await conn.defineXML(domainXml('ext', { disk }));
  });
  afterEach(async () => cleanupRoot(root, conn));

  it('running: a snapshot with a child, then the current one, merged into the disk with their data', async () => {
    await dom.create();
    const write = (pattern: string, offset: string) =>
      dom.qemuMonitorCommand(`qemu-io -d ide0-0-0 "write -P ${pattern} ${offset} 64k"`, M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);
    await write('0x11', '0');
    const s1 = await external('s1');
    await write('0x22', '64k');
    const s2 = await external('s2');
    await write('0x33', '128k');
    expect(chainOf(overlayOf('s2'))).toEqual([overlayOf('s2'), overlayOf('s1'), disk]);

    await s1.delete(0);
    expect(await diskSource()).toBe(overlayOf('s2'));
    expect(fs.existsSync(overlayOf('s1'))).toBe(false);
    expect(chainOf(overlayOf('s2'))).toEqual([overlayOf('s2'), disk]);
    expect(await s2.getParent().catch((e: VirError) => e.code)).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT);
    await s2.delete(0);
    expect(await diskSource()).toBe(disk);
    expect(fs.existsSync(overlayOf('s2'))).toBe(false);
    expect(await dom.snapshotNum()).toBe(0);

    await dom.destroy();
    // The persistent definition followed; every write is in the original image.
    expect(await diskSource()).toBe(disk);
    for (const [p, o] of [
      ['0x11', '0'],
      ['0x22', '64k'],
      ['0x33', '128k'],
    ])
      read(disk, p, o);
  });

  it('shut off: merged with qemu-img, current first, then the parent becomes current', async () => {
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x44 0 64k', disk]);
    const s1 = await external('s1');
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x55 64k 64k', overlayOf('s1')]);
    const s2 = await external('s2');
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x66 128k 64k', overlayOf('s2')]);

    await s2.delete(0);
    expect(await diskSource()).toBe(overlayOf('s1'));
    expect((await dom.snapshotCurrent()).getName()).toBe('s1');
    await s1.delete(0);
    expect(await diskSource()).toBe(disk);
    expect([fs.existsSync(overlayOf('s1')), fs.existsSync(overlayOf('s2'))]).toEqual([false, false]);
    expect(chainOf(disk)).toEqual([disk]);
    for (const [p, o] of [
      ['0x44', '0'],
      ['0x55', '64k'],
      ['0x66', '128k'],
    ])
      read(disk, p, o);
  });

  it('refuses a snapshot whose overlay left the disk chain, changing nothing', async () => {
    const s1 = await external('s1');
    // The definition is pointed back at the original image behind the snapshot's back.
    const xml = (await dom.getXMLDesc()).replace(`<source file='${overlayOf('s1')}'/>`, `<source file='${disk}'/>`);
    await conn.defineXML(xml.replace(/<backingStore[\s\S]*<\/backingStore>\s*/, ''));
    expect(await diskSource()).toBe(disk);
    const refused = (await rejection(s1.delete(0))) as VirError;
    expect(refused.code).toBe(ErrorNumber.VIR_ERR_INVALID_ARG);
    expect(refused.message).toBe(
      `invalid argument: could not find image '${overlayOf('s1')}' above a backing image in the chain of disk 'hda'`,
    );
    expect(fs.existsSync(overlayOf('s1'))).toBe(true);
    expect(await dom.snapshotNum()).toBe(1);
  });
});
