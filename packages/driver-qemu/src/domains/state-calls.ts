/**
 * NMI and metadata of the QEMU driver (libvirt's qemuDomainInjectNMI and
 * qemuDomainSetMetadata/GetMetadata).
 */
import { DomainEventID, DomainModificationImpact as I, modificationImpact, oneDefIsLive, type DomainRef } from '@virtkit/core';
import { getDomainMetadata, setDomainMetadata, type DomainDef } from '@virtkit/xml';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, notRunning } from './errors';
import { copyDef } from './parse';

export async function injectNMI(driver: QemuDriver, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'qemuDomainInjectNMI');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainInjectNMI', async () => {
    if (!obj.active) throw notRunning();
    await obj.monitor().execute('inject-nmi');
  });
}

export function getMetadata(driver: QemuDriver, ref: DomainRef, type: number, uri: string | null, flags: number): string {
  checkFlags(flags, I.VIR_DOMAIN_AFFECT_LIVE | I.VIR_DOMAIN_AFFECT_CONFIG, 'virDomainObjGetMetadata');
  const obj = driver.domains.get(ref);
  return getDomainMetadata((oneDefIsLive(obj, flags) ? obj.liveDef : obj.persistentDef)!, type, uri);
}

export async function setMetadata(
  driver: QemuDriver,
  ref: DomainRef,
  type: number,
  metadata: string | null,
  key: string | null,
  uri: string | null,
  flags: number,
): Promise<void> {
  checkFlags(flags, I.VIR_DOMAIN_AFFECT_LIVE | I.VIR_DOMAIN_AFFECT_CONFIG, 'qemuDomainSetMetadata');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainSetMetadata', async () => {
    const { live, config } = modificationImpact(obj, flags);
    const defs: DomainDef[] = [];
    if (live) defs.push(obj.liveDef!);
    if (config) defs.push(copyDef(obj.persistentDef!));
    for (const def of defs) setDomainMetadata(def, type, metadata, key, uri);
    for (const def of defs) await driver.saveDef(obj, def);
  });
  driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, obj.ref(), { type, nsuri: uri });
}
