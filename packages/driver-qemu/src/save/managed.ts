/**
 * Starting a domain from a save image (qemuSaveImageStartVM): QEMU starts with `-incoming defer`
 * and loads the migration stream after the image's header before its vCPUs run. A managed save
 * image lives under `<libDir>/save/NAME.save`; a start resumes from it and drops it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainSaveRestoreFlags as S, ErrorNumber, VirError } from '@virtkit/core';
import { FROM_QEMU } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import { parseForQemu } from '../domains/parse';
import { startDomain } from '../domains/start';
import type { QmpTransport } from '../qmp/client';
import type { QemuDriver } from '../qemu-driver';
import { readImageHead } from './image';
import { sendFrom } from './stream';

const POLL_MS = 50;

/** Where the managed save image of a domain lives (libvirt's qemuDomainManagedSavePath). */
export function managedSavePath(driver: QemuDriver, name: string): string {
  return path.join(driver.paths.libDir, 'save', `${name}.save`);
}

/** Wait until QEMU's migration (out or in) has completed; its failure as libvirt reports it. */
export async function migrationDone(qmp: QmpTransport, job: string): Promise<void> {
  for (;;) {
    const st = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
    if (st.status === 'completed') return;
    if (st.status === 'failed' || st.status === 'cancelled') {
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, FROM_QEMU, `job '${job}' failed: ${st['error-desc'] ?? st.status}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Start `obj` from the image `from` (qemuSaveImageStartVM). */
export async function startFrom(driver: QemuDriver, obj: QemuDomainObj, from: string, dxml: string | null, flags: number): Promise<void> {
  const image = readImageHead(from);
  const def = parseForQemu(dxml ?? image.xml, await driver.caps());
  const paused = flags & S.VIR_DOMAIN_SAVE_PAUSED ? true : flags & S.VIR_DOMAIN_SAVE_RUNNING ? false : !image.wasRunning;
  await startDomain(driver, obj, def, paused, {
    argv: ['-incoming', 'defer'],
    load: async (mon) => {
      const source = sendFrom(from, image.streamOffset);
      await mon.execute('migrate-incoming', { uri: source.uri });
      await source.send();
      await migrationDone(mon, 'migration in');
    },
  });
}

/** A start of a domain with a managed save image resumes from it, and the image goes (qemuDomainObjStart). */
export async function startFromManagedSave(driver: QemuDriver, obj: QemuDomainObj, flags: number): Promise<boolean> {
  const file = managedSavePath(driver, obj.name);
  if (!fs.existsSync(file)) return false;
  await startFrom(driver, obj, file, null, flags);
  await fs.promises.rm(file, { force: true });
  return true;
}
