/**
 * virDomainOpenGraphicsFD on qemu:///embed with real QEMU: the descriptor returned is this
 * process's, held open until releaseFd; a child process given it reads the VNC server's greeting
 * (what a local viewer started by the caller would do). A domain without VNC or SPICE is refused
 * with libvirt's error.
 */
import { spawnSync } from 'node:child_process';
import { ErrorNumber, releaseFd, type Connect, type Domain, type VirError } from '@virtkit/core';
import { describeIf, PYTHON } from '@virtkit/testkit';
import { cleanupRoot, newRoot, openEmbed, rejection } from './driver-helpers';

const xml = (name: string, graphics: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64'>hvm</type></os><devices>${graphics}</devices></domain>`;

describeIf('qemu')('virDomainOpenGraphicsFD on qemu:///embed', () => {
  let root: string;
  let conn: Connect;
  let vnc: Domain;
  let sdl: Domain;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    vnc = await conn.createXML(xml('vnc', "<graphics type='vnc'><listen type='socket'/></graphics>"), 0);
    sdl = await conn.createXML(xml('headless', ''), 0);
  }, 60_000);

  afterAll(async () => {
    await cleanupRoot(root, conn);
  }, 60_000);

  it('returns a descriptor on which the VNC server greets, until it is released', async () => {
    const fd = await vnc.openGraphicsFD(0, 0);
    try {
      const r = spawnSync(PYTHON, ['-c', 'import os; print(os.read(3, 12))'], {
        stdio: ['ignore', 'pipe', 'pipe', fd],
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.stdout).toBe("b'RFB 003.008\\n'\n");
    } finally {
      releaseFd(fd);
    }
  });

  it('refuses a domain without graphics and an index past the last device, as libvirt', async () => {
    const none = (await rejection(sdl.openGraphicsFD(0, 0))) as VirError;
    expect([none.code, none.message]).toEqual([ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'internal error: No graphics backend with index 0']);
    const past = (await rejection(vnc.openGraphicsFD(1, 0))) as VirError;
    expect(past.message).toBe('internal error: No graphics backend with index 1');
  });
});
