/**
 * qemuDomainStartDirtyRateCalc: QEMU's calc-dirty-rate over 1 to 60 seconds, by page sampling
 * (QEMU's default, sent without a mode), the dirty bitmap or KVM's dirty ring; the domain
 * stats' dirtyrate group reads the result back (query-dirty-rate).
 */
import { DomainDirtyRateCalcFlags as D, ErrorDomain, ErrorNumber, VirError, type DomainRef } from '@virtkit/core';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU, notRunning } from './errors';
import type { QemuDomainObj } from './obj';

const MIN_PERIOD = 1;
const MAX_PERIOD = 60;

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, detail);

/** virDomainStartDirtyRateCalc's own check: two modes at once. */
function checkOneMode(flags: number): void {
  if (flags & D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP && flags & D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING) {
    const message = "Flags 'VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP' and 'VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING' are mutually exclusive";
    throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_DOMAIN, message, str1: message });
  }
}

/** Whether the domain runs with `<features><kvm><dirty-ring state='on'/>` (KVM itself on). */
function hasDirtyRing(obj: QemuDomainObj): boolean {
  const kvm = obj.def.preserved.get('features')?.[0]?.element('kvm');
  return kvm !== undefined && kvm.element('dirty-ring')?.attr('state') === 'on';
}

/** QEMU's calc-dirty-rate mode for the flags, or undefined for page sampling (left to QEMU's default). */
function qmpMode(obj: QemuDomainObj, flags: number): string | undefined {
  if (flags & D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP) return 'dirty-bitmap';
  if (flags & D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING) {
    if (!hasDirtyRing(obj)) throw unsupported('dirty-ring calculation mode requires dirty-ring feature enabled.');
    return 'dirty-ring';
  }
  return undefined;
}

export async function startDirtyRateCalc(driver: QemuDriver, ref: DomainRef, seconds: number, flags: number): Promise<void> {
  checkOneMode(flags);
  checkFlags(flags, D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP | D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING, 'qemuDomainStartDirtyRateCalc');
  if (seconds < MIN_PERIOD || seconds > MAX_PERIOD) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      FROM_QEMU,
      `seconds=${seconds} is invalid, please choose value within [${MIN_PERIOD}, ${MAX_PERIOD}].`,
    );
  }
  const obj = driver.domains.get(ref);
  if (!obj.active) throw notRunning();
  const caps = await driver.caps();
  if (!caps.flags.has('calc-dirty-rate')) throw unsupported('QEMU does not support calculating dirty page rate');
  const mode = qmpMode(obj, flags);
  if (mode !== undefined && !caps.flags.has('dirtyrate-param.mode'))
    throw unsupported('QEMU does not support dirty page rate calculation mode.');
  await driver.withJob(obj, 'modify', 'virDomainStartDirtyRateCalc', async () => {
    if (!obj.active) throw notRunning();
    await obj.monitor().execute('calc-dirty-rate', mode === undefined ? { 'calc-time': seconds } : { 'calc-time': seconds, mode });
  });
}
