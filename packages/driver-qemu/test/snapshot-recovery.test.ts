/**
 * Snapshot creates interrupted by the death of their process (at a crash point: once the
 * overlays exist, or just before the metadata is written): the next driver opening the root
 * undoes an internal snapshot (so its name can be used again), completes an external one whose
 * overlays the disks already use, and removes the overlays of one they do not.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainSnapshotCreateFlags as CF, type Connect } from '@virtkit/core';
import { embedCall } from './embed-child';
import { cleanupRoot, domainXml, makeDisk, newRoot, openEmbed } from './driver-helpers';

const HOOK = 'SNAPSHOT_BEFORE_METADATA';

function imageTags(image: string): string[] {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', image], { encoding: 'utf8' }));
  return (info.snapshots ?? []).map((s: { name: string }) => s.name);
}

describe('snapshot creates interrupted before their metadata', () => {
  let root: string;
  let disk: string;
  let conn: Connect | undefined;

  beforeEach(() => {
    root = newRoot();
    disk = makeDisk(root, 'vm.qcow2', '16M');
  });
  afterEach(async () => {
    await cleanupRoot(root, conn);
    conn = undefined;
  });

  /** Define (and start) the domain, then let go of the root: the next open is a new driver state. */
  async function prepare(run: boolean): Promise<void> {
    const c = await openEmbed(root);
    const dom = await c.defineXML(domainXml('vm', { disk }));
    if (run) await dom.create();
    await c.close();
  }

  /** A process creates snapshot `name` and dies at `hook` (before storing its metadata). */
  function interruptedCreate(name: string, flags = 0, hook = HOOK): void {
    const r = embedCall(root, ['vm', 'snapshot-create', `<domainsnapshot><name>${name}</name></domainsnapshot>`, String(flags)], hook);
    expect(r).toMatchObject({ done: false, signal: 'SIGKILL' });
    expect(fs.existsSync(path.join(root, 'lib', 'snapshot', 'vm', `${name}.xml`))).toBe(false);
  }

  it.each([
    ['running', true],
    ['shut off', false],
  ])('an internal snapshot of a %s domain is undone and its name can be used again', async (_state, run) => {
    await prepare(run);
    interruptedCreate('s1');
    expect(imageTags(disk)).toEqual(['s1']);

    conn = await openEmbed(root);
    const dom = await conn.lookupByName('vm');
    expect(await dom.listAllSnapshots()).toEqual([]);
    expect(imageTags(disk)).toEqual([]);
    await dom.snapshotCreateXML('<domainsnapshot><name>s1</name></domainsnapshot>');
    expect((await dom.listAllSnapshots()).map((s) => s.getName())).toEqual(['s1']);
    expect(imageTags(disk)).toEqual(['s1']);
  });

  it.each([
    ['running', true],
    ['shut off', false],
  ])('an external snapshot of a %s domain whose disk is on the overlay is completed', async (_state, run) => {
    await prepare(run);
    interruptedCreate('e1', CF.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    const overlay = path.join(root, 'vm.e1');
    expect(fs.existsSync(overlay)).toBe(true);

    conn = await openEmbed(root);
    const dom = await conn.lookupByName('vm');
    expect((await dom.listAllSnapshots()).map((s) => s.getName())).toEqual(['e1']);
    expect((await dom.snapshotCurrent()).getName()).toBe('e1');
    expect(await dom.getXMLDesc()).toContain(`<source file='${overlay}'`);
    const inactive = await dom.getXMLDesc(2 /* VIR_DOMAIN_XML_INACTIVE */);
    expect(inactive).toContain(`<source file='${overlay}'/>`);
    expect(fs.readdirSync(path.join(root, 'lib', 'snapshot', 'vm'))).toEqual(['e1.xml']);
  });

  it('an external snapshot interrupted before the disk moved is undone: overlay removed, name free', async () => {
    await prepare(true);
    interruptedCreate('e1', CF.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY, 'SNAPSHOT_OVERLAYS_CREATED');
    const overlay = path.join(root, 'vm.e1');
    expect(fs.existsSync(overlay)).toBe(true);

    conn = await openEmbed(root);
    const dom = await conn.lookupByName('vm');
    expect(await dom.listAllSnapshots()).toEqual([]);
    expect(fs.existsSync(overlay)).toBe(false);
    expect(await dom.getXMLDesc()).toContain(`<source file='${disk}'`);
    await dom.snapshotCreateXML('<domainsnapshot><name>e1</name></domainsnapshot>', CF.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    expect(await dom.getXMLDesc()).toContain(`<source file='${overlay}'`);
  });
});
