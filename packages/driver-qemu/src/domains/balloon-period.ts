/**
 * The memory balloon's statistics period (libvirt's qemuDomainSetMemoryStatsPeriod and the
 * start-time setting of qemuProcessInitMonitor): QEMU's `guest-stats-polling-interval` property
 * of the balloon device, and `<memballoon><stats period>` in the live and persistent definitions.
 */
import { DomainMemoryModFlags as F, modificationImpact, VirError, type DomainRef } from '@virtkit/core';
import { mkEl, type DomainDef, type DomainDevice } from '@virtkit/xml';
import type { QmpTransport } from '../qmp/client';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU } from './errors';
import { copyDef } from './parse';

function balloonOf(def: DomainDef): DomainDevice {
  const b = def.devices.find((d) => d.kind === 'memballoon' && d.el.attr('model') !== 'none');
  if (!b) throw VirError.operationInvalid('No memory balloon device configured, can not set the collection period', FROM_QEMU);
  return b;
}

/** Write `<stats period>` (before the alias and address, where libvirt formats it); 0 drops it. */
function recordPeriod(balloon: DomainDevice, period: number): void {
  const kids = balloon.el.children;
  const at = kids.findIndex((c) => c.kind === 'element' && c.name === 'stats');
  if (at >= 0) kids.splice(at, 1);
  if (period === 0) return;
  const before = kids.findIndex((c) => c.kind === 'element' && ['alias', 'address'].includes(c.name));
  kids.splice(before < 0 ? kids.length : before, 0, mkEl('stats', [['period', period]]));
}

/** Tell QEMU's balloon device how often to poll the guest. */
export async function setPollingInterval(qmp: QmpTransport, balloon: DomainDevice, period: number): Promise<void> {
  const alias = balloon.el.element('alias')?.attr('name');
  try {
    await qmp.execute('qom-set', { path: `/machine/peripheral/${alias}`, property: 'guest-stats-polling-interval', value: period });
  } catch {
    throw VirError.operationInvalid('unable to set balloon driver collection period', FROM_QEMU);
  }
}

/** After a start: the period the definition asks for, if any. */
export async function applyStatsPeriod(qmp: QmpTransport, def: DomainDef): Promise<void> {
  const balloon = def.devices.find((d) => d.kind === 'memballoon' && d.el.attr('model') !== 'none');
  const period = Number(balloon?.el.element('stats')?.attr('period') ?? 0);
  if (balloon && period > 0) await setPollingInterval(qmp, balloon, period);
}

export async function setMemoryStatsPeriod(driver: QemuDriver, ref: DomainRef, period: number, flags: number): Promise<void> {
  checkFlags(flags, F.VIR_DOMAIN_MEM_LIVE | F.VIR_DOMAIN_MEM_CONFIG, 'qemuDomainSetMemoryStatsPeriod');
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', 'virDomainSetMemoryStatsPeriod', async () => {
    const which = modificationImpact(obj, flags);
    if (period < 0) throw VirError.invalidArg('invalid value for collection period', FROM_QEMU);
    if (which.live) {
      const live = obj.liveDef!;
      const balloon = balloonOf(live);
      await setPollingInterval(obj.monitor(), balloon, period);
      recordPeriod(balloon, period);
      await driver.saveDef(obj, live);
    }
    if (which.config) {
      const config = copyDef(obj.persistentDef!);
      recordPeriod(balloonOf(config), period);
      await driver.saveDef(obj, config);
    }
  });
}
