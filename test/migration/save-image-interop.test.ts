/**
 * Save images between libvirtd 9.0 and virtkit on the same QEMU (TCG): an image libvirtd's QEMU
 * driver writes (libvirt's header, its domain XML and migration cookie, then QEMU's migration
 * stream) restores under virtkit, and an image virtkit writes restores under libvirtd, the domain
 * running afterwards each time. libvirtd runs qemu:///session as `nobody` (testkit's private
 * daemon), so the images live in a directory it may write and are handed over to it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainState, open, type Connect } from '@virtkit/core';
import { cleanupRoot, describeIf, startLibvirtd, type RunningLibvirtd } from '@virtkit/testkit';

const XML =
  "<domain type='qemu'><name>interop</name><uuid>3c1f0a52-7d1e-4c55-9a57-0b5d1a0e6c11</uuid>" +
  "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>" +
  '<devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>';

describeIf('qemu', 'libvirtd')('save images between libvirtd 9.0 and virtkit', () => {
  let libvirtd: RunningLibvirtd;
  let work: string;
  let root: string;
  let lv: Connect;
  let vk: Connect;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'save-interop-'));
    fs.chmodSync(work, 0o777);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'save-interop-root-'));
    libvirtd = await startLibvirtd({ drivers: ['qemu'] });
    lv = await open(`qemu+unix:///session?socket=${libvirtd.sock}`);
    vk = await open(`qemu:///embed?root=${root}`);
  }, 60_000);

  afterAll(async () => {
    for (const c of [lv, vk]) {
      for (const d of (await c?.listAllDomains(0)) ?? []) {
        if (await d.isActive()) await d.destroy();
        await d.undefine().catch(() => undefined);
      }
      await c?.close();
    }
    await libvirtd?.stop();
    if (root) cleanupRoot(root);
    fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const state = async (c: Connect) => (await (await c.lookupByName('interop')).getState()).state;

  it('restores under virtkit what libvirtd saved, and under libvirtd what virtkit saved', async () => {
    const fromLibvirt = path.join(work, 'from-libvirtd.save');
    const dom = await lv.defineXML(XML);
    await dom.create();
    await dom.save(fromLibvirt);
    // libvirt's virQEMUSaveHeader: magic, version 2, data length, was running, not compressed,
    // the cookie's offset in the data (its save cookie, the guest CPU as started, follows the
    // NUL-ended XML). virtkit writes no cookie (offset 0) and skips one when it reads.
    const image = fs.readFileSync(fromLibvirt);
    const [version, dataLen, wasRunning, compressed, cookieOffset] = [16, 20, 24, 28, 32].map((o) => image.readUInt32LE(o));
    expect([image.toString('latin1', 0, 16), version, wasRunning, compressed]).toEqual(['LibvirtQemudSave', 2, 1, 0]);
    const data = image.subarray(92, 92 + dataLen!);
    expect(data[cookieOffset! - 1]).toBe(0);
    expect(data.toString('utf8', cookieOffset!, cookieOffset! + 8)).toBe('<cookie>');

    await vk.restore(fromLibvirt);
    expect(await state(vk)).toBe(DomainState.VIR_DOMAIN_RUNNING);

    const fromVirtkit = path.join(work, 'from-virtkit.save');
    await (await vk.lookupByName('interop')).save(fromVirtkit);
    // libvirtd's QEMU runs as nobody and reads the image through libvirtd.
    fs.chownSync(fromVirtkit, 65534, 65534);
    expect(fs.readFileSync(fromVirtkit).readUInt32LE(32)).toBe(0);
    await lv.restore(fromVirtkit);
    expect(await state(lv)).toBe(DomainState.VIR_DOMAIN_RUNNING);
  }, 180_000);
});
