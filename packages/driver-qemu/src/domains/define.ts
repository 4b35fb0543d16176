import * as fs from 'node:fs';
import {
  DomainCreateFlags as C,
  DomainDefineFlags,
  DomainEventType as E,
  DomainEventDefinedDetailType as Defined,
  DomainEventUndefinedDetailType as Undefined,
  DomainSaveRestoreFlags as S,
  DomainUndefineFlags as U,
  ErrorNumber,
  VirError,
  type DomainRef,
} from '@virtkit/core';
import { formatDomainXml, type DomainDef } from '@virtkit/xml';
import { managedSavePath, startFromManagedSave } from '../save/managed';
import type { QemuDriver } from '../qemu-driver';
import { deleteConfig, saveConfig } from './config';
import { alreadyRunning, checkFlags, FROM_DOMAIN, FROM_QEMU } from './errors';
import type { QemuDomainObj } from './obj';
import { parseForQemu } from './parse';
import { startDomain } from './start';

/** libvirt's name/UUID clash rules (virDomainObjListAdd); returns the existing object, if any. */
export function existingFor(driver: QemuDriver, def: DomainDef, forStart: boolean): QemuDomainObj | undefined {
  const byUuid = driver.domains.findByUuid(def.uuid);
  if (byUuid) {
    if (byUuid.name !== def.name) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        FROM_DOMAIN,
        `domain '${byUuid.name}' is already defined with uuid ${byUuid.uuid}`,
      );
    }
    if (forStart && byUuid.active) throw VirError.operationInvalid(`domain '${def.name}' is already active`, FROM_DOMAIN);
    if (forStart && !byUuid.persistent) throw VirError.operationInvalid(`domain '${def.name}' is already being started`, FROM_DOMAIN);
    return byUuid;
  }
  const byName = driver.domains.findByName(def.name);
  if (byName) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_FAILED,
      FROM_DOMAIN,
      `domain '${def.name}' already exists with uuid ${byName.uuid}`,
    );
  }
  return undefined;
}

export async function defineXML(driver: QemuDriver, xml: string, flags: number): Promise<DomainRef> {
  checkFlags(flags, DomainDefineFlags.VIR_DOMAIN_DEFINE_VALIDATE, 'qemuDomainDefineXMLFlags');
  const def = parseForQemu(xml, await driver.caps());
  const existing = existingFor(driver, def, false);
  if (existing) {
    return driver.withJob(existing, 'modify', 'virDomainDefineXMLFlags', async () => {
      await saveConfig(driver.paths, def);
      existing.persistentDef = def;
      driver.lifecycle(existing, E.VIR_DOMAIN_EVENT_DEFINED, Defined.VIR_DOMAIN_EVENT_DEFINED_UPDATED);
      return existing.ref();
    });
  }
  // In the list before the first await, so a concurrent define of the same name sees it.
  const obj = driver.adopt(def.name, def.uuid, def);
  try {
    await saveConfig(driver.paths, def);
  } catch (e) {
    driver.drop(obj);
    throw e;
  }
  driver.lifecycle(obj, E.VIR_DOMAIN_EVENT_DEFINED, Defined.VIR_DOMAIN_EVENT_DEFINED_ADDED);
  return obj.ref();
}

const UNDEFINE_FLAGS =
  U.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
  U.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
  U.VIR_DOMAIN_UNDEFINE_NVRAM |
  U.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
  U.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
  U.VIR_DOMAIN_UNDEFINE_TPM |
  U.VIR_DOMAIN_UNDEFINE_KEEP_TPM;

export async function undefine(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, UNDEFINE_FLAGS, 'qemuDomainUndefineFlags');
  if (flags & U.VIR_DOMAIN_UNDEFINE_NVRAM && flags & U.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM) {
    throw VirError.operationInvalid('cannot both keep and delete nvram', FROM_QEMU);
  }
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainUndefineFlags', async () => {
    if (!obj.persistent) throw VirError.operationInvalid('cannot undefine transient domain', FROM_QEMU);
    await driver.runBeforeUndefine(obj, flags);
    await deleteConfig(driver.paths, obj.name);
    driver.lifecycle(obj, E.VIR_DOMAIN_EVENT_UNDEFINED, Undefined.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    obj.persistentDef = undefined;
    await driver.runAfterUndefine(obj, flags);
    if (obj.active) return;
    await obj.runtime.reapUntracked('on undefine');
    driver.drop(obj);
  });
}

export async function createXML(driver: QemuDriver, xml: string, flags: number): Promise<DomainRef> {
  checkFlags(
    flags,
    C.VIR_DOMAIN_START_PAUSED |
      C.VIR_DOMAIN_START_AUTODESTROY |
      C.VIR_DOMAIN_START_BYPASS_CACHE |
      C.VIR_DOMAIN_START_VALIDATE |
      C.VIR_DOMAIN_START_RESET_NVRAM,
    'qemuDomainCreateXML',
  );
  const def = parseForQemu(xml, await driver.caps());
  const existing = existingFor(driver, def, true);
  const obj = existing ?? driver.adopt(def.name, def.uuid, undefined);
  try {
    await driver.withJob(obj, 'modify', 'virDomainCreateXML', () =>
      startDomain(driver, obj, def, (flags & C.VIR_DOMAIN_START_PAUSED) !== 0),
    );
  } catch (e) {
    if (!existing && !obj.active) driver.drop(obj);
    throw e;
  }
  return obj.ref();
}

/** Start a defined domain (qemuDomainCreateWithFlags). */
export async function create(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(
    flags,
    C.VIR_DOMAIN_START_PAUSED |
      C.VIR_DOMAIN_START_AUTODESTROY |
      C.VIR_DOMAIN_START_BYPASS_CACHE |
      C.VIR_DOMAIN_START_FORCE_BOOT |
      C.VIR_DOMAIN_START_RESET_NVRAM,
    'qemuDomainCreateWithFlags',
  );
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainCreateWithFlags', async () => {
    const persistent = obj.persistentDef;
    if (obj.active || !persistent) throw alreadyRunning();
    const paused = (flags & C.VIR_DOMAIN_START_PAUSED) !== 0;
    if (flags & C.VIR_DOMAIN_START_FORCE_BOOT) await fs.promises.rm(managedSavePath(driver, obj.name), { force: true });
    else if (await startFromManagedSave(driver, obj, paused ? S.VIR_DOMAIN_SAVE_PAUSED : 0)) return;
    const def = parseForQemu(formatDomainXml(persistent, { inactive: true, secure: true }), await driver.caps());
    await startDomain(driver, obj, def, paused);
  });
}
