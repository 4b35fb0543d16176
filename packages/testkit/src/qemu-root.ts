/** Scratch `qemu:///embed` roots of tests: nothing they started may outlive the suite. */
import * as fs from 'node:fs';
import { open, type Connect } from '@virtkit/core';

/** Destroy every running domain of the root (through a fresh connection when none is open) and remove it. */
export async function cleanupRoot(root: string, conn?: Connect): Promise<void> {
  const c = conn ?? (await open(`qemu:///embed?root=${root}`).catch(() => undefined));
  if (c) {
    for (const d of await c.listAllDomains(1)) await d.destroy().catch(() => undefined);
    await c.close().catch(() => undefined);
  }
  fs.rmSync(root, { recursive: true, force: true });
}
