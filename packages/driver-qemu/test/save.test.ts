/**
 * Save, restore and managed save on the QEMU driver with real QEMU: a boot sector prints an
 * ever-growing counter on COM1, so a guest restored from its image shows it continuing from
 * where it was saved instead of starting again. The image starts with libvirt's header.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
  ErrorNumber,
  VirStream,
  type Connect,
  type Domain,
  type VirError,
} from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { cleanupRoot, newRoot, openEmbed, rejection, until } from './driver-helpers';

/** A boot sector printing 0001, 0002, ... (the counter lives in BX) on COM1, one line at a time. */
function counterDisk(dir: string): string {
  const code = [
    0x31, 0xc0, 0x8e, 0xd8, 0xfc, 0x31, 0xdb, 0x43, 0xb9, 0x04, 0x00, 0x89, 0xd8, 0xc1, 0xc0, 0x04, 0x50, 0x24, 0x0f, 0x04, 0x30, 0x3c,
    0x39, 0x76, 0x02, 0x04, 0x07, 0xba, 0xf8, 0x03, 0xee, 0x58, 0xe2, 0xeb, 0xb0, 0x0a, 0xee, 0xb9, 0xff, 0xff, 0x51, 0xb9, 0x40, 0x00,
    0xe2, 0xfe, 0x59, 0xe2, 0xf7, 0xeb, 0xd4,
  ];
  const image = Buffer.alloc(1024 * 1024);
  Buffer.from(code).copy(image);
  image[510] = 0x55;
  image[511] = 0xaa;
  const file = path.join(dir, 'counter.img');
  fs.writeFileSync(file, image);
  return file;
}

/** The counter values the guest prints during `ms`, read through its console. */
async function countsFor(dom: Domain, ms: number): Promise<number[]> {
  const stream = new VirStream();
  let text = '';
  stream.download.on('data', (c: Buffer) => (text += c.toString('latin1')));
  stream.download.on('error', () => undefined);
  await dom.openConsole(null, stream, 0);
  await until(() => text.split('\n').length > 3, 30_000);
  await new Promise((r) => setTimeout(r, ms));
  stream.finish();
  // The session ends once the finished upload is seen.
  await new Promise((r) => setTimeout(r, 200));
  // Whole lines only: the first and last may be cut.
  return text
    .split('\n')
    .slice(1, -1)
    .filter((l) => /^[0-9A-F]{4}$/.test(l))
    .map((l) => parseInt(l, 16));
}

describeIf('qemu')('save and restore on qemu:///embed with real QEMU', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    dom = await conn.defineXML(
      `<domain type='qemu'><name>cnt</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>` +
        `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${counterDisk(root)}'/><target dev='hda' bus='ide'/></disk>` +
        `<serial type='pty'/><console type='pty'/></devices></domain>`,
    );
    await dom.create();
  }, 60_000);

  afterAll(async () => {
    await cleanupRoot(root, conn);
  }, 60_000);

  it('saves to a file with libvirt header, stops with reason saved, and restores where it was', async () => {
    const before = await countsFor(dom, 500);
    expect(before.length).toBeGreaterThan(2);
    const file = path.join(root, 'cnt.save');
    await dom.save(file);
    expect(await dom.getState()).toEqual({ state: DomainState.VIR_DOMAIN_SHUTOFF, reason: DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SAVED });
    const head = fs.readFileSync(file).subarray(0, 24);
    expect(head.toString('latin1', 0, 16)).toBe('LibvirtQemudSave');
    expect(head.readUInt32LE(16)).toBe(2);

    await conn.restore(file);
    const restored = await conn.lookupByName('cnt');
    expect(await restored.getState()).toEqual({
      state: DomainState.VIR_DOMAIN_RUNNING,
      reason: DomainRunningReason.VIR_DOMAIN_RUNNING_RESTORED,
    });
    const after = await countsFor(restored, 500);
    expect(after[0]).toBeGreaterThan(before[before.length - 1]!);

    const bad = path.join(root, 'bad.save');
    fs.writeFileSync(bad, Buffer.alloc(200));
    const e = (await rejection(conn.restore(bad))) as VirError;
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_OPERATION_FAILED, 'operation failed: image magic is incorrect']);
  }, 120_000);

  it('keeps a managed save image that the next start resumes from, then drops', async () => {
    const before = await countsFor(dom, 500);
    await dom.managedSave(0);
    expect(await dom.hasManagedSaveImage(0)).toBe(true);
    expect((await dom.getState()).reason).toBe(DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SAVED);
    await dom.create();
    expect(await dom.hasManagedSaveImage(0)).toBe(false);
    const after = await countsFor(dom, 500);
    expect(after[0]).toBeGreaterThan(before[before.length - 1]!);

    await dom.managedSave(0);
    await dom.managedSaveRemove(0);
    expect(await dom.hasManagedSaveImage(0)).toBe(false);
    await dom.create();
    const fresh = await countsFor(dom, 300);
    expect(fresh[0]).toBeLessThan(after[after.length - 1]!);
  }, 120_000);
});
