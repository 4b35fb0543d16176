/**
 * Disk I/O limits of the test driver (testDomainGet/SetBlockIoTune): kept in each disk's
 * `<iotune>`, with the test driver's own rule that no rate may exceed its burst, set or not.
 */
import { type DomainRef, type TypedParams, DomainModificationImpact as M, TypedParameterFlags } from '@virtkit/core';
import { IOTUNE_RATES, applyIotune, diskIotune, domainDiskByName, iotuneParams, noIotune, setDiskIotune } from '@virtkit/xml';
import { oneDefState } from './domain-info';
import { checkFlags, invalidArg, rawInvalidArg, FROM_DOMAIN, FROM_TEST } from './errors';
import type { TestState } from './state';

const IMPACT = M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG;

export function getBlockIoTune(state: TestState, ref: DomainRef, disk: string | null, flags: number): TypedParams {
  checkFlags(flags, IMPACT | TypedParameterFlags.VIR_TYPED_PARAM_STRING_OKAY, 'testDomainGetBlockIoTune');
  // virDomainGetBlockIoTune's own check, ahead of the driver's count.
  if (flags & M.VIR_DOMAIN_AFFECT_LIVE && flags & M.VIR_DOMAIN_AFFECT_CONFIG) {
    throw rawInvalidArg("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", FROM_DOMAIN);
  }
  // Without a disk the caller only counts the parameters.
  if (disk === null) return iotuneParams(noIotune());
  const { def } = oneDefState(state.domObj(ref), flags & IMPACT);
  const el = domainDiskByName(def, disk)?.el;
  if (!el) throw invalidArg(`disk '${disk}' was not found in the domain config`);
  return iotuneParams(diskIotune(el));
}

export function setBlockIoTune(state: TestState, ref: DomainRef, disk: string, params: TypedParams, flags: number): void {
  checkFlags(flags, IMPACT, 'testDomainSetBlockIoTune');
  const { def } = oneDefState(state.domObj(ref), flags);
  const el = domainDiskByName(def, disk)?.el;
  if (!el) throw invalidArg(`missing persistent configuration for disk '${disk}'`);
  const tune = applyIotune(diskIotune(el), params, FROM_TEST);
  for (const rate of IOTUNE_RATES) {
    if ((tune[rate] as number) > (tune[`${rate}_max`] as number)) throw invalidArg(`${rate} cannot be set higher than ${rate}_max `);
  }
  setDiskIotune(el, tune);
}
