/**
 * qemuDomainSetMemoryFlags: the current memory of the running domain through the balloon (QMP
 * `balloon`), the current or maximum memory of the persistent definition, per LIVE/CONFIG flags.
 */
import { DomainMemoryModFlags as F, ErrorNumber, modificationImpact, VirError, type DomainRef } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_DOMAIN, FROM_QEMU } from './errors';
import { copyDef } from './parse';

const invalid = (detail: string) => VirError.operationInvalid(detail, FROM_QEMU);

export async function setMemoryFlags(driver: QemuDriver, ref: DomainRef, memory: number, flags: number): Promise<void> {
  checkFlags(flags, F.VIR_DOMAIN_MEM_LIVE | F.VIR_DOMAIN_MEM_CONFIG | F.VIR_DOMAIN_MEM_MAXIMUM, 'qemuDomainSetMemoryFlags');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainSetMemoryFlags', async () => {
    const which = modificationImpact(obj, flags);
    const live = which.live ? obj.liveDef : undefined;
    const config = which.config ? copyDef(obj.persistentDef!) : undefined;
    if (flags & F.VIR_DOMAIN_MEM_MAXIMUM) {
      if (live) throw invalid('cannot resize the maximum memory on an active domain');
      config!.memory = BigInt(memory);
      if (config!.currentMemory > config!.memory) config!.currentMemory = config!.memory;
      await driver.saveDef(obj, config!);
      return;
    }
    for (const def of [live, config])
      if (def && memory > Number(def.memory))
        throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, 'cannot set memory higher than max memory');
    if (live) await balloon(obj.monitor(), live, memory);
    if (live) await driver.saveDef(obj, live);
    if (config) {
      config.currentMemory = BigInt(memory);
      await driver.saveDef(obj, config);
    }
  });
}

/** Ask the balloon for `kib`; without a balloon device the running guest's memory cannot change. */
async function balloon(
  mon: { execute(cmd: string, args?: Record<string, unknown>): Promise<unknown> },
  def: DomainDef,
  kib: number,
): Promise<void> {
  const hasBalloon = def.devices.some((d) => d.kind === 'memballoon' && d.el.attr('model') !== 'none');
  if (!hasBalloon) {
    throw VirError.operationInvalid(
      'Unable to change memory of active domain without the balloon device and guest OS balloon driver',
      FROM_DOMAIN,
    );
  }
  await mon.execute('balloon', { value: kib * 1024 });
  def.currentMemory = BigInt(kib);
}
