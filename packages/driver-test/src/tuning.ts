/**
 * Tuning calls of the test driver (testDomainSetVcpusFlags, the scheduler calls): vCPU counts per
 * live/config flags, and the "fair" scheduler with its one weight parameter, which, as in
 * libvirt's test driver, is accepted but not stored.
 */
import {
  DomainModificationImpact as M,
  DomainVcpuFlags as V,
  ErrorNumber,
  TypedParameterType as T,
  typedParamType,
  typedParams,
  type DomainRef,
  type SchedulerType,
  type TypedParams,
} from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { MAX_VCPUS } from './constants';
import { checkFlags, err, FROM_DOMAIN, invalidArg, notRunning, opInvalid, rawInvalidArg } from './errors';
import type { TestState } from './state';
import type { DomainObj } from './domain-obj';

/** virDomainObjGetDefs: the live and persistent definitions the LIVE/CONFIG/CURRENT bits address. */
function defsOf(d: DomainObj, flags: number): { live?: DomainDef; config?: DomainDef } {
  let f = flags & (M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG);
  if (!f) f = d.active ? M.VIR_DOMAIN_AFFECT_LIVE : M.VIR_DOMAIN_AFFECT_CONFIG;
  if (f & M.VIR_DOMAIN_AFFECT_LIVE && !d.active) throw notRunning();
  if (f & M.VIR_DOMAIN_AFFECT_CONFIG && !d.persistent) throw opInvalid('transient domains do not have any persistent config', FROM_DOMAIN);
  return {
    live: f & M.VIR_DOMAIN_AFFECT_LIVE ? d.def : undefined,
    config: f & M.VIR_DOMAIN_AFFECT_CONFIG ? d.persistentDef() : undefined,
  };
}

/** virDomainDefSetVcpus: the current count; equal to the maximum it is no longer written out. */
function setCurrent(def: DomainDef, n: number): void {
  def.vcpuCurrent = n === def.vcpu ? undefined : n;
}

/** testDomainSetVcpusFlags. */
export function setVcpusFlags(state: TestState, ref: DomainRef, n: number, flags: number): void {
  checkFlags(flags, M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG | V.VIR_DOMAIN_VCPU_MAXIMUM, 'testDomainSetVcpusFlags');
  if (n > MAX_VCPUS) throw invalidArg(`requested cpu amount exceeds maximum supported amount (${n} > ${MAX_VCPUS})`);
  const { live, config } = defsOf(state.domObj(ref), flags);
  if (live && live.vcpu < n) throw invalidArg(`requested cpu amount exceeds maximum (${n} > ${live.vcpu})`);
  const maximum = (flags & V.VIR_DOMAIN_VCPU_MAXIMUM) !== 0;
  if (config && !maximum && config.vcpu < n) throw invalidArg(`requested cpu amount exceeds maximum (${n} > ${config.vcpu})`);
  if (live) setCurrent(live, n);
  if (config && maximum) {
    config.vcpu = n;
    if ((config.vcpuCurrent ?? n) >= n) config.vcpuCurrent = undefined;
  } else if (config) {
    setCurrent(config, n);
  }
}

/** virDomainSetVcpus's own check, ahead of the driver. */
export function checkVcpuCount(n: number, fn: string): void {
  if (n === 0) throw rawInvalidArg(`nvcpus in ${fn} must not be zero`, FROM_DOMAIN);
}

/** testDomainGetSchedulerType. */
export function schedulerType(state: TestState, ref: DomainRef): SchedulerType {
  state.domObj(ref);
  return { type: 'fair', nparams: 1 };
}

/** testDomainGetSchedulerParametersFlags: the weight, always 50. */
export function schedulerParameters(state: TestState, ref: DomainRef, flags: number): TypedParams {
  checkFlags(flags, 0, 'testDomainGetSchedulerParametersFlags');
  state.domObj(ref);
  return typedParams([{ field: 'weight', type: T.VIR_TYPED_PARAM_UINT, value: 50 }]);
}

/** testDomainSetSchedulerParametersFlags (virTypedParamsValidate): only 'weight', an unsigned int, is known. */
export function setSchedulerParameters(state: TestState, ref: DomainRef, params: TypedParams, flags: number): void {
  checkFlags(flags, 0, 'testDomainSetSchedulerParametersFlags');
  for (const [field, value] of Object.entries(params)) {
    if (field !== 'weight') throw err(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, `parameter '${field}' not supported`);
    const type = typedParamType(params, field);
    if (type !== undefined ? type !== T.VIR_TYPED_PARAM_UINT : typeof value !== 'number') {
      throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `invalid type for parameter '${field}' - expected uint`);
    }
  }
  state.domObj(ref);
}
