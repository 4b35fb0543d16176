/**
 * virDomainOpenConsole on the QEMU driver with real QEMU: the pty path in the live XML as libvirt
 * shows it, a stream joined to the guest's serial port both ways (a boot sector echoes what it
 * reads on COM1), one session at a time unless forced, and the stream ending with the domain.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainConsoleFlags, ErrorNumber, VirStream, type Connect, type Domain, type VirError } from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { cleanupRoot, newRoot, openEmbed, rejection, until } from './driver-helpers';

/** A boot sector that echoes every byte COM1 receives (polling the line status register). */
function echoDisk(dir: string): string {
  // xor ax,ax; mov ds,ax; cld; mov dx,0x3fd; wait: in al,dx; test al,1; jz wait; mov dx,0x3f8; in al,dx; out dx,al; jmp back
  const code = [0x31, 0xc0, 0x8e, 0xd8, 0xfc, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xfb, 0xba, 0xf8, 0x03, 0xec, 0xee, 0xeb, 0xf0];
  const image = Buffer.alloc(1024 * 1024);
  Buffer.from(code).copy(image);
  image[510] = 0x55;
  image[511] = 0xaa;
  const file = path.join(dir, 'echo.img');
  fs.writeFileSync(file, image);
  return file;
}

function domainXml(disk: string): string {
  return (
    `<domain type='qemu'><name>con</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>` +
    `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${disk}'/><target dev='hda' bus='ide'/></disk>` +
    `<serial type='pty'/><console type='pty'/></devices></domain>`
  );
}

/** Everything a stream's download has delivered so far. */
function collect(stream: VirStream): { text: () => string; ended: () => boolean } {
  let text = '';
  let ended = false;
  stream.download.on('data', (c: Buffer) => (text += c.toString('latin1')));
  stream.download.on('end', () => (ended = true));
  stream.download.on('error', () => (ended = true));
  return { text: () => text, ended: () => ended };
}

describeIf('qemu')('consoles on qemu:///embed with real QEMU', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    dom = await conn.defineXML(domainXml(echoDisk(root)));
    await dom.create();
  }, 60_000);

  afterAll(async () => {
    await cleanupRoot(root, conn);
  }, 60_000);

  it("shows the serial console's pty in the live XML", async () => {
    const xml = await dom.getXMLDesc(0);
    const pty = /<console type='pty' tty='(\/dev\/pts\/\d+)'>\s*<source path='\1'\/>/.exec(xml)?.[1];
    expect(pty).toBeDefined();
    expect(xml).toMatch(new RegExp(`<serial type='pty'>\\s*<source path='${pty}'/>`));
    expect(fs.statSync(pty!).isCharacterDevice()).toBe(true);
  });

  it('carries bytes both ways, refuses a second session unless forced, and ends with the domain', async () => {
    const first = new VirStream();
    const seen = collect(first);
    await dom.openConsole(null, first, 0);
    first.send(Buffer.from('ping-1'));
    await until(() => seen.text().includes('ping-1'), 20_000);

    const second = new VirStream();
    const refused = (await rejection(dom.openConsole(null, second, 0))) as VirError;
    expect([refused.code, refused.message]).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_FAILED,
      'operation failed: Active console session exists for this domain',
    ]);
    const missing = (await rejection(dom.openConsole('serial9', second, 0))) as VirError;
    expect([missing.code, missing.message]).toEqual([
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      'internal error: cannot find character device serial9',
    ]);

    const taken = collect(second);
    await dom.openConsole('serial0', second, DomainConsoleFlags.VIR_DOMAIN_CONSOLE_FORCE);
    await until(() => seen.ended());
    second.send(Buffer.from('ping-2'));
    await until(() => taken.text().includes('ping-2'), 20_000);

    await dom.destroy();
    await until(() => taken.ended());
  }, 60_000);
});
