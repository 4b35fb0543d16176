/**
 * Saved state of QEMU domains: virDomainSave(Flags) writes libvirt's save image (header, XML,
 * then QEMU's migration stream) and stops the domain; virDomainRestore
 * (Flags) starts QEMU with `-incoming defer` and loads the stream before the vCPUs run. A managed
 * save keeps the image under `<libDir>/save/NAME.save`, and the next start restores from it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainPausedReason,
  DomainSaveRestoreFlags as S,
  DomainShutoffReason,
  DomainState,
  ErrorDomain,
  ErrorNumber,
  VirError,
  type DomainRef,
  type DriverConnection,
} from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { existingFor } from '../domains/define';
import { checkFlags, FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import { parseForQemu } from '../domains/parse';
import type { QemuDriver } from '../qemu-driver';
import { encodeImageHead, readImageHead } from './image';
import { managedSavePath, migrationDone, startFrom } from './managed';
import { receiveInto } from './stream';

const SAVE_FLAGS = S.VIR_DOMAIN_SAVE_BYPASS_CACHE | S.VIR_DOMAIN_SAVE_RUNNING | S.VIR_DOMAIN_SAVE_PAUSED;

export function checkRunningPaused(flags: number): void {
  if (flags & S.VIR_DOMAIN_SAVE_RUNNING && flags & S.VIR_DOMAIN_SAVE_PAUSED) {
    // libvirt's VIR_EXCLUSIVE_FLAGS check: the bare text, as virsh prints it.
    const message = "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive";
    throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_DOMAIN, message, str1: message });
  }
}

/** Save a running domain to `to` and stop it (qemuDomainSaveInternal). */
async function saveTo(driver: QemuDriver, obj: QemuDomainObj, to: string, dxml: string | null, flags: number): Promise<void> {
  if (!obj.active) throw notRunning();
  const running = obj.state.state === DomainState.VIR_DOMAIN_RUNNING;
  const wasRunning = flags & S.VIR_DOMAIN_SAVE_RUNNING ? true : flags & S.VIR_DOMAIN_SAVE_PAUSED ? false : running;
  const xml =
    dxml !== null
      ? formatDomainXml(parseForQemu(dxml, await driver.caps()), { inactive: true, secure: true })
      : formatDomainXml(obj.def, { inactive: true, secure: true });
  await fs.promises.mkdir(path.dirname(to), { recursive: true });
  await fs.promises.writeFile(to, encodeImageHead(xml, wasRunning), { mode: 0o600 });
  try {
    if (running) await obj.runtime.suspend(DomainPausedReason.VIR_DOMAIN_PAUSED_SAVE);
    const qmp = obj.monitor();
    const sink = await receiveInto(to);
    await qmp.execute('migrate', { uri: sink.uri });
    await migrationDone(qmp, 'migration out');
    await sink.done;
  } catch (e) {
    await fs.promises.rm(to, { force: true });
    if (running && obj.active) await obj.runtime.resume().catch(() => undefined);
    throw e;
  }
  await obj.runtime.stop('force', DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SAVED);
}

export const saveHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({ listFacts: (obj) => ({ managedSave: fs.existsSync(managedSavePath(driver, obj.name)) }) });
};

type SaveMethods = Pick<
  Required<DriverConnection>,
  | 'domainSave'
  | 'domainSaveFlags'
  | 'domainRestore'
  | 'domainRestoreFlags'
  | 'domainManagedSave'
  | 'domainHasManagedSaveImage'
  | 'domainManagedSaveRemove'
>;

export const saveMethods: QemuConnectionExtension = (driver): SaveMethods => {
  const withObj = <T>(dom: DomainRef, owner: string, fn: (obj: QemuDomainObj) => Promise<T>, asyncJob?: 'save'): Promise<T> => {
    const obj = driver.domains.get(dom);
    return driver.withJob(obj, 'modify', owner, () => fn(obj), asyncJob);
  };
  const restore = async (from: string, dxml: string | null, flags: number): Promise<void> => {
    checkRunningPaused(flags);
    const def = parseForQemu(dxml ?? readImageHead(from).xml, await driver.caps());
    const existing = existingFor(driver, def, true);
    const obj = existing ?? driver.adopt(def.name, def.uuid, undefined);
    try {
      await driver.withJob(obj, 'modify', 'virDomainRestoreFlags', () => startFrom(driver, obj, from, dxml, flags));
    } catch (e) {
      if (!existing && !obj.active) driver.drop(obj);
      throw e;
    }
  };
  return {
    domainSave: (dom, to) => withObj(dom, 'virDomainSave', (o) => saveTo(driver, o, to, null, 0), 'save'),
    domainSaveFlags: (dom, to, dxml, flags) => {
      checkFlags(flags, SAVE_FLAGS, 'qemuDomainSaveFlags');
      checkRunningPaused(flags);
      return withObj(dom, 'virDomainSaveFlags', (o) => saveTo(driver, o, to, dxml, flags), 'save');
    },
    domainRestore: (from) => restore(from, null, 0),
    domainRestoreFlags: (from, dxml, flags) => {
      checkFlags(flags, SAVE_FLAGS | S.VIR_DOMAIN_SAVE_RESET_NVRAM, 'qemuDomainRestoreFlags');
      return restore(from, dxml, flags);
    },
    domainManagedSave: (dom, flags) => {
      checkFlags(flags, SAVE_FLAGS, 'qemuDomainManagedSave');
      checkRunningPaused(flags);
      return withObj(
        dom,
        'virDomainManagedSave',
        async (o) => {
          if (!o.active) throw notRunning();
          if (!o.persistent) throw VirError.operationInvalid('cannot do managed save for transient domain', FROM_QEMU);
          await saveTo(driver, o, managedSavePath(driver, o.name), null, flags);
        },
        'save',
      );
    },
    domainHasManagedSaveImage: async (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainHasManagedSaveImage');
      return fs.existsSync(managedSavePath(driver, driver.domains.get(dom).name));
    },
    domainManagedSaveRemove: (dom, flags) => {
      checkFlags(flags, 0, 'qemuDomainManagedSaveRemove');
      return withObj(dom, 'virDomainManagedSaveRemove', async (o) => {
        await fs.promises.rm(managedSavePath(driver, o.name), { force: true });
      });
    },
  };
};
